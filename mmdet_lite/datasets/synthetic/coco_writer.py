"""Writing the synthetic benchmark to disk in COCO format: :func:`make_synthetic_dataset`.

Each image is rendered by ``_render_to_file`` from its own generator seeded with
``(seed, split, index)``, in this process or in forked workers; the output does not depend on the
number of workers.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

import cv2
import numpy as np

from .scene import render_image
from .sprites import CLASSES

# Bump whenever the rendering changes: a dataset on disk with another version is regenerated.
GENERATOR_VERSION = 1

_SPLIT_CODES = {'train': 1, 'val': 2}
_IMAGE_NAME = re.compile(r'\d{6,}\.jpg')
_JPEG_QUALITY = (75, 96)


def _render_to_file(task: tuple[int, int, int, tuple[int, int], str]) -> list[list[float]]:
    """Renders image ``index`` of a split, writes it and returns ``[label, x, y, w, h]`` rows."""
    seed, split_code, index, img_size, path = task
    rng = np.random.default_rng((seed, split_code, index))
    img, boxes, labels = render_image(rng, img_size)
    quality = int(rng.integers(*_JPEG_QUALITY))
    if not cv2.imwrite(path, img, [cv2.IMWRITE_JPEG_QUALITY, quality]):
        raise OSError(f'could not write {path}')
    return [
        [int(lab), float(x1), float(y1), float(x2 - x1), float(y2 - y1)]
        for lab, (x1, y1, x2, y2) in zip(labels.tolist(), boxes.tolist(), strict=True)
    ]


def _coco_dict(split: str, rows: list[list[list[float]]], img_size: tuple[int, int], seed: int):
    w, h = img_size
    images, annotations = [], []
    for i, objs in enumerate(rows):
        images.append({'id': i + 1, 'file_name': f'{i + 1:06d}.jpg', 'width': w, 'height': h})
        for label, x, y, bw, bh in objs:
            annotations.append(
                {
                    'id': len(annotations) + 1,
                    'image_id': i + 1,
                    'category_id': int(label) + 1,
                    'bbox': [x, y, bw, bh],
                    'area': bw * bh,
                    'iscrowd': 0,
                }
            )
    return {
        'info': {
            'description': f'mmdet_lite synthetic road scenes ({split})',
            'version': str(GENERATOR_VERSION),
            'seed': seed,
        },
        'images': images,
        'annotations': annotations,
        'categories': [{'id': i + 1, 'name': n} for i, n in enumerate(CLASSES)],
    }


def _split_summary(coco: dict) -> dict:
    counts = dict.fromkeys(CLASSES, 0)
    for ann in coco['annotations']:
        counts[CLASSES[ann['category_id'] - 1]] += 1
    return {
        'num_images': len(coco['images']),
        'num_boxes': len(coco['annotations']),
        'boxes_per_class': counts,
    }


def _load_meta(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _default_workers(num_images: int) -> int:
    if num_images < 64 or 'fork' not in get_all_start_methods():
        return 0
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()
    return min(cpus or 1, 8)


def _init_worker() -> None:
    """Tunes malloc in a worker process (never in the caller's process).

    glibc returns freed image-sized buffers to the OS and page-faults them back for the next
    image, which costs about a third of the render time; raising its trim and mmap thresholds
    keeps them in the heap.
    """
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(-1, 512 << 20)  # M_TRIM_THRESHOLD
        libc.mallopt(-3, 256 << 20)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):  # not glibc: only slower
        pass


def make_synthetic_dataset(
    out_dir: str,
    num_train: int = 1500,
    num_val: int = 300,
    img_size: tuple[int, int] = (576, 320),
    seed: int = 0,
    overwrite: bool = False,
    num_workers: int | None = None,
) -> dict:
    """Writes the synthetic benchmark in COCO format and returns a per-split summary.

    Layout: ``out_dir/annotations/instances_{train,val}.json``, ``out_dir/images/{train,val}/
    000001.jpg, ...`` and ``out_dir/meta.json`` (generation parameters and summary, written last).
    If ``meta.json`` matches the requested parameters and ``overwrite`` is False nothing is
    written and the stored summary is returned. ``img_size`` is ``(width, height)``.
    ``num_workers=None`` picks a number of forked worker processes automatically; 0 renders in
    this process. The output does not depend on ``num_workers``.
    """
    if num_train < 0 or num_val < 0:
        raise ValueError(f'image counts must be >= 0, got {num_train=} {num_val=}')
    img_size = (int(img_size[0]), int(img_size[1]))
    if min(img_size) < 32:
        raise ValueError(f'img_size (width, height) must be at least 32 px, got {img_size}')
    if seed < 0:
        raise ValueError(f'seed must be >= 0, got {seed}')

    out = Path(out_dir)
    meta_path = out / 'meta.json'
    params = {
        'generator_version': GENERATOR_VERSION,
        'num_train': num_train,
        'num_val': num_val,
        'img_size': list(img_size),
        'seed': seed,
    }
    splits = {'train': num_train, 'val': num_val}
    ann_paths = {s: out / 'annotations' / f'instances_{s}.json' for s in splits}
    meta = None if overwrite else _load_meta(meta_path)
    if meta and meta.get('params') == params and all(p.is_file() for p in ann_paths.values()):
        return meta['summary']

    meta_path.unlink(missing_ok=True)  # an interrupted run must not look complete
    (out / 'annotations').mkdir(parents=True, exist_ok=True)
    if num_workers is None:
        num_workers = _default_workers(num_train + num_val)
    pool = None
    cv2_threads = cv2.getNumThreads()
    if num_workers:
        # OpenCV's thread pool does not survive fork: a child touching the copied pool can block
        # forever on a mutex of a thread that does not exist. Stopping the pool threads in the
        # parent first makes forking safe, and the workers inherit one OpenCV thread each.
        cv2.setNumThreads(1)
        pool = ProcessPoolExecutor(num_workers, get_context('fork'), initializer=_init_worker)
    summary = {}
    try:
        for split, n in splits.items():
            img_dir = out / 'images' / split
            img_dir.mkdir(parents=True, exist_ok=True)
            for old in img_dir.iterdir():  # stale images from a run with other parameters
                if _IMAGE_NAME.fullmatch(old.name):
                    old.unlink()
            tasks = [
                (seed, _SPLIT_CODES[split], i, img_size, str(img_dir / f'{i + 1:06d}.jpg'))
                for i in range(n)
            ]
            if pool is None:
                rows = [_render_to_file(t) for t in tasks]
            else:
                rows = list(pool.map(_render_to_file, tasks, chunksize=16))
            coco = _coco_dict(split, rows, img_size, seed)
            ann_paths[split].write_text(json.dumps(coco, separators=(',', ':')))
            summary[split] = _split_summary(coco)
    finally:
        if pool is not None:
            pool.shutdown()
            cv2.setNumThreads(cv2_threads)
    meta_path.write_text(json.dumps({'params': params, 'summary': summary}, indent=2))
    return summary
