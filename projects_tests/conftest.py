"""Shared fixtures: a tiny COCO dataset on disk, the repo root, the configs worth training."""

import ast
import importlib.util
import json
import os
import os.path as osp
import re
import sys
from types import ModuleType

import cv2
import numpy as np
import pytest

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))

CLASSES = ('vehicle', 'pedestrian', 'scooter', 'bicycle')


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist (``make test`` runs one worker per core) each worker, and every process
    it starts, computes on one thread: two workers of two threads each on two cores run slower
    than one."""
    if os.environ.get('PYTEST_XDIST_WORKER'):
        import torch
        os.environ['OMP_NUM_THREADS'] = '1'
        torch.set_num_threads(1)


def _seed_everything() -> None:
    import random

    import torch
    random.seed(0)
    np.random.seed(0)
    torch.manual_seed(0)


@pytest.fixture(scope='module', autouse=True)
def _seeded_module() -> None:
    """A test file's module fixtures start from the same random state (torch, numpy, random),
    whichever files ran before it in its process (autouse fixtures run first in their scope)."""
    _seed_everything()


@pytest.fixture(autouse=True)
def _seeded_test() -> None:
    """So does every test: a model built with random weights is the same model under any order
    or split of the suite."""
    _seed_everything()


def pytest_collection_modifyitems(items: list) -> None:
    """The slow end-to-end tests first: spread over the workers from the start instead of
    leaving one worker busy with them after the others are done."""
    items.sort(key=lambda item: item.get_closest_marker('slow') is None)


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


def config_delta(path: str) -> str:
    """What a config itself says: its code without comments, formatting and ``_base_``."""
    with open(path) as f:
        body = [node for node in ast.parse(f.read()).body
                if not (isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', '') ==
                        '_base_')]
    return ast.unparse(ast.Module(body=body, type_ignores=[]))


def _bases(path: str) -> list:
    with open(path) as f:
        node = next(n for n in ast.parse(f.read()).body if isinstance(n, ast.Assign) and
                    getattr(n.targets[0], 'id', '') == '_base_')
    bases = ast.literal_eval(node.value)
    return bases if isinstance(bases, list) else [bases]


def switch_chain(path: str) -> tuple:
    """The changes a config makes, from its family root down, with the dataset left out: equal
    for twins that make the same changes on different datasets (``*_coco.py`` and
    ``*_synthetic.py`` rows), different for the same change on another row."""
    bases = _bases(path)
    if any('_base_/' in b or '::' in b for b in bases):  # a family root
        name = osp.splitext(osp.basename(path))[0]
        # without the dataset and, on a real-data config, the NxbM-schedule part
        return (re.sub(r'(_\d+xb\d+-\d+[ek])?_[^_]+$', '', name),)
    parent = osp.normpath(osp.join(osp.dirname(path), bases[0]))
    return (config_delta(path), *switch_chain(parent))


def configs_to_train(paths: list) -> list:
    """Every family root, and each distinct chain of switches once (of two twins, the synthetic
    one); not the pre-training configs, which train their base's model on another split.
    Building every config is ``test_configs.py``'s job; one training step per code path is
    enough."""
    order = sorted(paths, key=lambda p: (not p.endswith('_synthetic.py'), p))
    seen, kept = set(), []
    for path in order:
        if '_pretrain_' in osp.basename(path):  # its base's code path on another split
            continue
        chain = switch_chain(path)
        if len(chain) == 1 or chain not in seen:
            kept.append(path)
            seen.add(chain)
    return sorted(kept)


def load_tool(name: str) -> ModuleType:
    """``tools/NAME.py`` imported as a module (the tools are scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(name, osp.join(REPO_ROOT, 'tools', f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tool_main(name: str, argv: list, monkeypatch):  # noqa: ANN201
    """Run ``tools/NAME.py``'s ``main`` in-process with ``argv`` on its command line (the tools'
    start in a fresh interpreter is tested once, by ``test_end_to_end.py``'s ``mim`` runs)."""
    module = load_tool(name)
    monkeypatch.setattr(sys, 'argv', [f'{name}.py', *argv])
    return module.main()


# a few iterations of batch 2 in one epoch, loaders in the main process (torchrun tests)
TINY_DIST_OPTIONS = ('train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
                     'train_dataloader.persistent_workers=False', 'val_dataloader.num_workers=0',
                     'val_dataloader.persistent_workers=False', 'train_cfg.max_epochs=1',
                     'train_cfg.val_interval=2')


def run_dist_train(config: str, cwd, port: int, options=(), timeout: int = 600):  # noqa: ANN001, ANN201
    """``tools/dist_train.sh CONFIG 2`` (2 CPU processes, gloo) with :data:`TINY_DIST_OPTIONS`
    and ``options``, work dir ``cwd/wd``; the completed process (output captured)."""
    import subprocess
    import sys
    cmd = ['bash', osp.join(REPO_ROOT, 'tools/dist_train.sh'), config, '2',
           '--work-dir', str(cwd / 'wd'), '--cfg-options', *TINY_DIST_OPTIONS, *options]
    env = dict(os.environ, PYTHONUNBUFFERED='1', OMP_NUM_THREADS='1', PORT=str(port),
               PYTHON=sys.executable)
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture
def repo_root() -> str:
    return REPO_ROOT


def torch_predict(det, img: np.ndarray):
    """PyTorch ``predict`` of ``det`` on one HxWx3 uint8 image (already at the input size)."""
    import torch
    from mmdet.structures import DetDataSample
    h, w = img.shape[:2]
    sample = DetDataSample(metainfo=dict(img_shape=(h, w), ori_shape=(h, w),
                                         scale_factor=(1.0, 1.0)))
    data = det.data_preprocessor(
        dict(inputs=[torch.from_numpy(img).permute(2, 0, 1)], data_samples=[sample]), False)
    with torch.no_grad():
        return det(**data, mode='predict')[0].pred_instances


def assert_dets_match(dets, labels, ref) -> None:
    """ONNX ``dets [K, 5]``/``labels [K]`` equal PyTorch ``pred_instances`` ``ref``: scores within
    1e-4, labels equal, boxes within 1e-3 relative. Ranks whose score is within 1e-5 of a
    neighbour may legitimately swap between runtimes, so those are not compared one to one."""
    s = ref.scores.numpy()
    np.testing.assert_allclose(dets[:, 4], s, rtol=1e-4, atol=1e-6)
    gap = np.minimum(np.abs(np.diff(s, prepend=np.inf)), np.abs(np.diff(s, append=-np.inf)))
    ok = gap > 1e-5
    assert ok.mean() > 0.8, 'too many near-ties to compare'
    np.testing.assert_array_equal(labels[ok], ref.labels.numpy()[ok])
    np.testing.assert_allclose(dets[ok, :4], ref.bboxes.numpy()[ok], rtol=1e-3, atol=1e-3)


def read_log(logger) -> str:
    """Everything an MMLogger made with ``log_file=`` has written so far."""
    for h in logger.handlers:
        h.flush()
    files = [h.baseFilename for h in logger.handlers if hasattr(h, 'baseFilename')]
    return ''.join(open(f).read() for f in files)
