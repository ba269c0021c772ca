"""Tests for the synthetic road-scene benchmark (the mmdet_lite/datasets/synthetic/ package)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from pycocotools.coco import COCO

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = ROOT / 'mmdet_lite' / 'datasets' / 'synthetic'
CLI = ROOT / 'tools' / 'make_synthetic.py'
SMALL = (192, 112)  # (width, height): keeps the tests fast

# Loads the package by path as a top-level package named `s` (its modules import each other
# relatively), as tools/make_synthetic.py does; for the subprocesses below.
LOAD_BY_PATH = (
    'import importlib.util, sys\n'
    f'spec = importlib.util.spec_from_file_location("s", {str(PACKAGE_DIR / "__init__.py")!r},\n'
    f'    submodule_search_locations=[{str(PACKAGE_DIR)!r}])\n'
    'sys.modules["s"] = m = importlib.util.module_from_spec(spec)\n'
    'spec.loader.exec_module(m)\n'
)


def _load_module():
    # By path, so these tests do not need mmdet (imported by the mmdet_lite package).
    name = '_mmdet_lite_synthetic'
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, PACKAGE_DIR / '__init__.py', submodule_search_locations=[str(PACKAGE_DIR)]
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


synthetic = _load_module()


def _make(out: Path, **kwargs) -> dict:
    params = dict(num_train=20, num_val=5, img_size=SMALL, seed=0)
    params.update(kwargs)
    return synthetic.make_synthetic_dataset(str(out), **params)


def _read_all(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob('*'))
        if p.is_file() and p.name != 'meta.json'
    }


@pytest.fixture(scope='module')
def small_dataset(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp('synthetic')
    return out, _make(out)


def test_layout_and_summary(small_dataset):
    out, summary = small_dataset
    assert set(summary) == {'train', 'val'}
    for split, n in (('train', 20), ('val', 5)):
        assert (out / 'annotations' / f'instances_{split}.json').is_file()
        names = sorted(p.name for p in (out / 'images' / split).iterdir())
        assert names == [f'{i:06d}.jpg' for i in range(1, n + 1)]
        assert summary[split]['num_images'] == n
        per_class = summary[split]['boxes_per_class']
        assert list(per_class) == list(synthetic.CLASSES)
        assert sum(per_class.values()) == summary[split]['num_boxes']
    meta = json.loads((out / 'meta.json').read_text())
    assert meta['summary'] == summary


def test_deterministic(small_dataset, tmp_path):
    out, _ = small_dataset
    again = tmp_path / 'again'
    _make(again)
    assert _read_all(out) == _read_all(again)

    other = tmp_path / 'other'
    _make(other, seed=1)
    first, second = _read_all(out), _read_all(other)
    assert first.keys() == second.keys()
    assert first['annotations/instances_train.json'] != second['annotations/instances_train.json']
    assert first['images/train/000001.jpg'] != second['images/train/000001.jpg']


def test_splits_differ(small_dataset):
    out, _ = small_dataset
    train = (out / 'images' / 'train' / '000001.jpg').read_bytes()
    val = (out / 'images' / 'val' / '000001.jpg').read_bytes()
    assert train != val


def test_parallel_matches_serial(tmp_path):
    """Forked workers give the same bytes, and do not hang after the caller used OpenCV threads."""
    parallel = tmp_path / 'parallel'
    code = (
        LOAD_BY_PATH + 'import cv2, numpy as np\n'
        'cv2.setNumThreads(4)\n'
        'for _ in range(10):  # leaves live OpenCV pool threads behind\n'
        '    cv2.GaussianBlur(np.zeros((1500, 1500, 3), np.uint8), (9, 9), 2.0)\n'
        f'm.make_synthetic_dataset({str(parallel)!r}, num_train=6, num_val=2,\n'
        f'                         img_size={SMALL}, seed=0, num_workers=2)\n'
        'print(cv2.getNumThreads())\n'
    )
    result = subprocess.run(
        [sys.executable, '-c', code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '4'  # the caller's OpenCV setting is restored

    _make(tmp_path / 'serial', num_train=6, num_val=2, num_workers=0)
    assert _read_all(tmp_path / 'serial') == _read_all(parallel)


@pytest.mark.parametrize('split', ['train', 'val'])
def test_coco_json_is_valid(small_dataset, split):
    out, summary = small_dataset
    coco = COCO(str(out / 'annotations' / f'instances_{split}.json'))
    cats = coco.loadCats(coco.getCatIds())
    assert [(c['id'], c['name']) for c in cats] == [
        (1, 'vehicle'),
        (2, 'pedestrian'),
        (3, 'scooter'),
        (4, 'bicycle'),
    ]
    width, height = SMALL
    for img in coco.dataset['images']:
        assert (img['width'], img['height']) == (width, height)
        assert (out / 'images' / split / img['file_name']).is_file()
    anns = coco.dataset['annotations']
    assert len(anns) == summary[split]['num_boxes'] > 0
    assert len({a['id'] for a in anns}) == len(anns)
    for ann in anns:
        x, y, w, h = ann['bbox']
        assert all(isinstance(v, float) for v in ann['bbox'])
        assert w >= 2 and h >= 2
        assert x >= 0 and y >= 0 and x + w <= width and y + h <= height
        assert ann['area'] == pytest.approx(w * h)
        assert ann['iscrowd'] == 0
        assert ann['category_id'] in (1, 2, 3, 4)


def test_long_tail_and_density():
    counts = np.zeros(len(synthetic.CLASSES), int)
    num_images = 60
    for i in range(num_images):
        img, boxes, labels = synthetic.render_image(np.random.default_rng((0, 1, i)))
        assert img.shape == (320, 576, 3) and img.dtype == np.uint8
        assert boxes.shape == (len(labels), 4)
        counts += np.bincount(labels, minlength=len(counts))
    vehicle, pedestrian, scooter, bicycle = counts
    assert vehicle > pedestrian > scooter >= bicycle > 0
    assert 4 <= counts.sum() / num_images <= 12


def test_idempotent_without_overwrite(small_dataset):
    out, summary = small_dataset
    files = [out / 'annotations' / 'instances_train.json', out / 'images' / 'val' / '000003.jpg']
    for f in files:  # make any rewrite visible regardless of the filesystem's mtime resolution
        os.utime(f, ns=(1_000_000_000, 1_000_000_000))
    assert _make(out) == summary
    assert [f.stat().st_mtime_ns for f in files] == [1_000_000_000] * 2


def test_overwrite_and_changed_params_regenerate(tmp_path):
    out = tmp_path / 'ds'
    _make(out, num_train=6, num_val=2)
    ann = out / 'annotations' / 'instances_train.json'
    os.utime(ann, ns=(1_000_000_000, 1_000_000_000))
    _make(out, num_train=6, num_val=2, overwrite=True)
    assert ann.stat().st_mtime_ns != 1_000_000_000

    summary = _make(out, num_train=3, num_val=2)
    assert summary['train']['num_images'] == 3
    # Images left over from the larger run are removed.
    assert len(list((out / 'images' / 'train').iterdir())) == 3
    assert json.loads((out / 'meta.json').read_text())['params']['num_train'] == 3


def test_interrupted_run_is_not_reused(tmp_path):
    out = tmp_path / 'ds'
    _make(out, num_train=3, num_val=1)
    (out / 'meta.json').unlink()  # as if generation had been killed before finishing
    ann = out / 'annotations' / 'instances_train.json'
    os.utime(ann, ns=(1_000_000_000, 1_000_000_000))
    _make(out, num_train=3, num_val=1)
    assert ann.stat().st_mtime_ns != 1_000_000_000


@pytest.mark.parametrize(
    'kwargs', [dict(num_train=-1), dict(img_size=(16, 320)), dict(seed=-3)], ids=str
)
def test_invalid_arguments(tmp_path, kwargs):
    with pytest.raises(ValueError):
        _make(tmp_path / 'bad', **kwargs)


def test_cli(tmp_path):
    out = tmp_path / 'cli'
    cmd = [sys.executable, str(CLI), '--out', str(out), '--num-train', '4', '--num-val', '2']
    cmd += ['--width', str(SMALL[0]), '--height', str(SMALL[1]), '--seed', '3']
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for name in synthetic.CLASSES:
        assert f'{name}=' in result.stdout
    assert 'train: 4 images' in result.stdout and 'val: 2 images' in result.stdout

    # The CLI and the library produce the same bytes.
    ref = tmp_path / 'ref'
    _make(ref, num_train=4, num_val=2, seed=3)
    assert _read_all(out) == _read_all(ref)

    bad = subprocess.run(cmd[:-2] + ['--seed', '-1'], capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and 'seed' in bad.stderr


def test_module_does_not_import_heavy_frameworks():
    code = LOAD_BY_PATH + (
        'assert sorted(n for n in sys.modules if n.startswith("s.")) == '
        '["s.coco_writer", "s.distractors", "s.scene", "s.sprites"]\n'
        'print(sorted(m for m in ("torch", "mmcv", "mmdet", "mmengine") if m in sys.modules))\n'
    )
    result = subprocess.run(
        [sys.executable, '-c', code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '[]'


def test_importable_from_package():
    pytest.importorskip('mmdet')
    from mmdet_lite.datasets import synthetic as packaged
    from mmdet_lite.datasets.synthetic import make_synthetic_dataset, render_image

    assert packaged.CLASSES == synthetic.CLASSES
    assert callable(make_synthetic_dataset) and callable(render_image)


# sha256 of every file written by make_synthetic_dataset(num_train=3, num_val=1,
# img_size=(192, 112), seed=3, num_workers=0), computed with the generator as one module, before it
# was split into the sprites/scene/coco_writer package (OpenCV 5.1.0, numpy 2.4.6). A deliberate
# change of the rendering bumps GENERATOR_VERSION and these constants; the JPEG bytes also depend
# on the libjpeg that OpenCV is built with.
# fmt: off
PINNED_SHA256 = {
    'annotations/instances_train.json':
        '140c1bebb0dbc33cd824a071c9a85c2c64b4fa9484c072df060baa2da8b0d2e6',
    'annotations/instances_val.json':
        'f537262b3c06fb1583d3c81313d24b3f16b894906592e0c1cb74009b08113c68',
    'images/train/000001.jpg': '7de85d12ddfc89802e543893ee5dc56dd5db08d643f065c6b9b387ab22d42588',
    'images/train/000002.jpg': '522982ca37b34f29403eca5bd9b1cbe59297ee7211fb2f38e7e95952cb84e35f',
    'images/train/000003.jpg': '55594e478aa6c17dd3a301d86ef3bd019c55f8e99aa34f29a2225fad81f7b204',
    'images/val/000001.jpg': '8b58189ca91b04f1b63a9341eede870cb8d50e8e9c2c545fb07e534d60ae4af0',
    'meta.json': 'a85f7cef6bb0273b66f8695741942fd1fd3c6d8d46f9d2c4384202c8b1839191',
}
# fmt: on


def test_output_is_byte_identical_for_a_seed(tmp_path):
    """The generator writes exactly the pinned bytes for a seed (images, annotations, meta)."""
    out = tmp_path / 'pinned'
    synthetic.make_synthetic_dataset(
        str(out), num_train=3, num_val=1, img_size=(192, 112), seed=3, num_workers=0
    )
    written = {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob('*'))
        if p.is_file()
    }
    assert written == PINNED_SHA256
