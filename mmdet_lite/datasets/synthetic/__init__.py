"""Deterministic synthetic road-scene detection benchmark (numpy + OpenCV only).

Every image is rendered from its own ``numpy.random.Generator`` seeded with
``(seed, split, index)``, so the dataset is reproducible byte for byte and can be rendered in
parallel. Scenes have a sky/road background with a horizon and lane markings, objects whose size
follows a simple ground-plane perspective (lower in the image means nearer and larger), drawn
far-to-near so that they occlude each other, un-annotated distractors (poles, signs, boxes, bushes,
lone rings, ...) and global photometric noise.

The four classes share one colour palette, so they can only be told apart by shape and texture:

* vehicle: box-like body with a dark window band and dark wheels (car, van, truck or bus,
  side or rear view),
* pedestrian: tall thin figure (head, torso, arms, two legs),
* scooter: solid low body with two small wheels close together, usually with a seated rider,
* bicycle: two large thin ring wheels joined by a thin see-through frame, sometimes with a rider.

The package is split by concern:

* ``sprites``: colour helpers, the sprite pen and the object and distractor sprites,
* ``scene``: background, placement, compositing and photometric noise (:func:`render_image`),
* ``coco_writer``: rendering to files, COCO annotations, ``meta.json`` and worker processes
  (:func:`make_synthetic_dataset`).

This package must not import torch, mmcv or mmdet. Its modules import each other relatively, so
``tools/make_synthetic.py`` can load it by path as a top-level package without importing
``mmdet_lite`` (which imports mmdet and torch).
"""

from .coco_writer import GENERATOR_VERSION, make_synthetic_dataset
from .scene import render_image
from .sprites import CLASSES

__all__ = ['CLASSES', 'GENERATOR_VERSION', 'make_synthetic_dataset', 'render_image']
