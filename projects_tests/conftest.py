"""Shared fixtures: a tiny COCO dataset on disk, and the repo root."""

import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CLASSES = ('vehicle', 'pedestrian', 'scooter', 'bicycle')


def write_coco(root: str, images: list, annotations: list, categories=None,
               split: str = 'train', write_images: bool = True) -> str:
    """Write ``root/annotations/{split}.json`` and noise jpgs for ``images``; return its path."""
    categories = categories or [dict(id=i + 1, name=n) for i, n in enumerate(CLASSES)]
    ann_dir = osp.join(root, 'annotations')
    img_dir = osp.join(root, 'images', split)
    os.makedirs(ann_dir, exist_ok=True)
    os.makedirs(img_dir, exist_ok=True)
    if write_images:
        rng = np.random.default_rng(0)
        for img in images:
            arr = rng.integers(0, 255, (img['height'], img['width'], 3), dtype=np.uint8)
            cv2.imwrite(osp.join(img_dir, img['file_name']), arr)
    path = osp.join(ann_dir, f'{split}.json')
    with open(path, 'w') as f:
        json.dump(dict(images=images, annotations=annotations, categories=categories), f)
    return path


@pytest.fixture
def repo_root() -> str:
    return REPO_ROOT
