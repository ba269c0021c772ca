"""Evaluation of a trained row/seed run: the per-class AP@0.5 its test logged, its CPU latency."""

import glob
import json
import math
import os.path as osp
import statistics
import sys
from typing import Dict, Optional, Sequence

import torch
from mmengine.config import Config

from ..timing import median_ms
from .logs import run_logged

METRIC_PREFIX = 'coco/'  # CheckedCocoMetric's (mmdet's CocoMetric's) key prefix


def logged_metrics_file(test_dir: str) -> str:
    """The metrics ``tools/test.py`` logged in ``test_dir`` (its ``--work-dir``): mmengine
    writes them to ``<timestamp>/<timestamp>.json``; the latest run's when there are several."""
    found = sorted(glob.glob(osp.join(test_dir, '[0-9]*_[0-9]*', '[0-9]*_[0-9]*.json')))
    if not found:
        raise SystemExit(f'{test_dir} holds no metrics of a tools/test.py run '
                         '(<timestamp>/<timestamp>.json)')
    return found[-1]


def logged_ap50(test_dir: str, classes: Sequence[str],
                det_file: Optional[str] = None) -> Dict[str, float]:
    """AP@0.5 per class (``coco/<class>_AP50``, logged by :class:`CheckedCocoMetric` with
    ``classwise=True``) and ``mAP50``, as the test run in ``test_dir`` logged them.

    ``mAP50`` is the mean over the classes with ground truth (a class without has no AP: NaN
    logged, 0.0 here), which is COCOeval's AP@0.5 (``coco/bbox_mAP_50``, which mmdet rounds to 3
    decimals) unrounded. A test whose predictions (``det_file``) are empty logs no AP: all 0.0.
    """
    path = logged_metrics_file(test_dir)
    with open(path) as f:
        metrics = json.load(f)
    keys = [f'{METRIC_PREFIX}{c}_AP50' for c in classes]
    missing = [k for k in keys if k not in metrics]
    if missing:
        if det_file is not None and _no_detections(det_file) and not any(
                k.startswith(METRIC_PREFIX) for k in metrics):
            return dict({c: 0.0 for c in classes}, mAP50=0.0)
        raise SystemExit(f'{path} has no {missing}: the evaluation config\'s test_evaluator '
                         'must be CheckedCocoMetric with classwise=True')
    ap = {c: float(metrics[k]) for c, k in zip(classes, keys, strict=True)}
    with_gt = [v for v in ap.values() if not math.isnan(v)]
    out = {c: 0.0 if math.isnan(v) else v for c, v in ap.items()}
    out['mAP50'] = statistics.fmean(with_gt) if with_gt else 0.0
    return out


def _no_detections(det_file: str) -> bool:
    if not osp.isfile(det_file):
        return False
    with open(det_file) as f:
        return json.load(f) == []


def evaluate_checkpoint(root: str, eval_config: str, ckpt: str, run_dir: str) -> Dict[str, float]:
    """Run ``tools/test.py`` on ``ckpt`` with ``eval_config`` (relative to ``root``) in
    ``run_dir/test`` (output in ``run_dir/test.log``, predictions in ``run_dir/test/preds.*``);
    return the AP@0.5 per class and ``mAP50`` it logged (:func:`logged_ap50`)."""
    eval_cfg = osp.join(root, eval_config)
    test_dir = osp.join(run_dir, 'test')
    prefix = osp.join(test_dir, 'preds')
    run_logged([sys.executable, osp.join(root, 'tools', 'test.py'), eval_cfg, ckpt, '--work-dir',
                test_dir, '--cfg-options', f'test_evaluator.outfile_prefix={prefix}'],
               osp.join(run_dir, 'test.log'))
    classes = tuple(Config.fromfile(eval_cfg).test_dataloader.dataset.metainfo['classes'])
    return logged_ap50(test_dir, classes, prefix + '.bbox.json')


def ms_per_image(cfg_file: str, ckpt: str, shape: Sequence[int], repeats: int = 20) -> float:
    """Median CPU latency of ``predict`` (network + decoding) for one image of ``shape``."""
    from mmdet.structures import DetDataSample

    from mmdet_lite.export import load_detector
    model, _ = load_detector(cfg_file, ckpt)  # strict load, eval mode
    h, w = shape
    x = torch.randn(1, 3, h, w)
    meta = dict(img_shape=(h, w), ori_shape=(h, w), batch_input_shape=(h, w),
                scale_factor=(1.0, 1.0))
    samples = [DetDataSample(metainfo=meta)]
    with torch.no_grad():
        return median_ms(lambda: model.predict(x, samples), repeats)


__all__ = ['evaluate_checkpoint', 'logged_ap50', 'logged_metrics_file', 'ms_per_image']
