"""Evaluation of a trained row/seed run: its per-class AP@0.5 and its CPU latency."""

import json
import os.path as osp
import sys
from typing import Dict, Sequence

import torch
from mmengine.config import Config

from ..timing import median_ms
from .logs import run_logged


def ap50_per_class(ann_file: str, det_file: str, classes: Sequence[str]) -> Dict[str, float]:
    """AP@0.5 per class and overall with pycocotools, as mmdet's CocoMetric table computes it."""
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval
    gt = COCO(ann_file)
    name_to_id = {c['name']: c['id'] for c in gt.loadCats(gt.getCatIds())}
    with open(det_file) as f:
        dets = json.load(f)
    if not dets:
        return dict({c: 0.0 for c in classes}, mAP50=0.0)
    ev = COCOeval(gt, gt.loadRes(dets), 'bbox')
    ev.params.catIds = [name_to_id[c] for c in classes]
    ev.evaluate()
    ev.accumulate()
    ev.summarize()
    # precision: [iou thr, recall, class, area range, max dets]; iou 0.5, all areas, 100 dets
    prec = ev.eval['precision'][0, :, :, 0, -1]
    out = {}
    for k, c in enumerate(classes):
        p = prec[:, k]
        p = p[p > -1]
        out[c] = float(p.mean()) if p.size else 0.0
    out['mAP50'] = float(ev.stats[1])
    return out


def evaluate_checkpoint(root: str, eval_config: str, ckpt: str, run_dir: str) -> Dict[str, float]:
    """Run ``tools/test.py`` on ``ckpt`` with ``eval_config`` (relative to ``root``) in
    ``run_dir/test`` (output in ``run_dir/test.log``); return AP@0.5 per class and ``mAP50``."""
    eval_cfg = osp.join(root, eval_config)
    prefix = osp.join(run_dir, 'test', 'preds')
    run_logged([sys.executable, osp.join(root, 'tools', 'test.py'), eval_cfg, ckpt, '--work-dir',
                osp.join(run_dir, 'test'), '--cfg-options',
                f'test_evaluator.outfile_prefix={prefix}'], osp.join(run_dir, 'test.log'))
    test_cfg = Config.fromfile(eval_cfg)
    classes = tuple(test_cfg.test_dataloader.dataset.metainfo['classes'])
    return ap50_per_class(test_cfg.test_evaluator.ann_file, prefix + '.bbox.json', classes)


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


__all__ = ['ap50_per_class', 'evaluate_checkpoint', 'ms_per_image']
