"""Run a paper's ablation table on the synthetic benchmark: train, evaluate and report each row.

Used by ``tools/reproduce_*.py``. Each row is a separate ``tools/train.py`` run of one config;
a row whose final checkpoint exists is reused. Distillation rows get the teacher row's final
checkpoint, and are evaluated with their plain student config (a student checkpoint).
"""

import argparse
import json
import os
import os.path as osp
import statistics
import subprocess
import sys
import time
from typing import Dict, List, Optional, Sequence

import torch
from mmengine.config import Config


def run_logged(cmd: List[str], log_path: str) -> float:
    """Run ``cmd``, write its output to ``log_path`` (echoing progress); return seconds taken."""
    print('$ ' + ' '.join(cmd), flush=True)
    start = time.time()
    with open(log_path, 'w') as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                env=dict(os.environ, PYTHONUNBUFFERED='1'))
        for line in proc.stdout:
            log.write(line)
            if 'Epoch(' in line or 'Error' in line or 'bbox_mAP_copypaste' in line:
                print('  ' + line.rstrip()[:160], flush=True)
        if proc.wait() != 0:
            raise SystemExit(f'command failed (exit {proc.returncode}), see {log_path}')
    return time.time() - start


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
    times = []
    with torch.no_grad():
        for k in range(repeats + 3):
            start = time.perf_counter()
            model.predict(x, samples)
            if k >= 3:
                times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def write_report(rows: List[dict], classes: Sequence[str], out_dir: str, total_s: float,
                 title: str = 'Ablation on the built-in synthetic benchmark',
                 note: str = '') -> str:
    """``ablation.md`` (table) and ``ablation.png`` (bars per class) in ``out_dir``."""
    lines = [
        f'# {title}', '',
        f'{note}{" " if note else ""}CPU ms per image at batch 1, {torch.get_num_threads()} '
        f'threads. Total run time {total_s / 60:.1f} min.', '',
        '| model | mAP@0.5 | ' + ' | '.join(f'AP50 {c}' for c in classes) +
        ' | params (M) | GMACs | ms/image | train time (min) |',
        '|---|---|' + '---|' * len(classes) + '---|---|---|---|'
    ]
    for r in rows:
        ap = r['ap']
        train = f"{r['train_s'] / 60:.1f}" if r['train_s'] is not None else 'reused'
        lines.append(f"| {r['name']} | {ap['mAP50']:.3f} | " +
                     ' | '.join(f'{ap[c]:.3f}' for c in classes) +
                     f" | {r['params_m']:.2f} | {r['gmacs']:.2f} | {r['ms']:.0f} | {train} |")
    text = '\n'.join(lines) + '\n'
    with open(osp.join(out_dir, 'ablation.md'), 'w') as f:
        f.write(text)

    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    import numpy as np
    groups = ['mAP50', *classes]
    x = np.arange(len(groups))
    width = 0.8 / len(rows)
    fig, ax = plt.subplots(figsize=(9, 4))
    for k, r in enumerate(rows):
        ax.bar(x + (k - (len(rows) - 1) / 2) * width, [r['ap'][g] for g in groups], width,
               label=r['name'])
    ax.set_xticks(x, ['mAP@0.5', *[f'AP50 {c}' for c in classes]])
    ax.set_ylabel('AP@0.5 (synthetic val)')
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(osp.join(out_dir, 'ablation.png'), dpi=120)
    return text


def ablation_parser(description: str, work_dir: str,
                    latency_shape: Sequence[int]) -> argparse.ArgumentParser:
    """The command-line options every ``tools/reproduce_*.py`` shares."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--work-dir', default=work_dir)
    parser.add_argument('--data', default='data/synthetic',
                        help='synthetic benchmark root (made if missing; the configs read '
                        'data/synthetic relative to the working directory)')
    parser.add_argument('--force', action='store_true', help='retrain the students')
    parser.add_argument('--force-teacher', action='store_true', help='retrain the teacher too')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='extra key=value overrides for every training run')
    parser.add_argument('--latency-shape', type=int, nargs=2, default=tuple(latency_shape),
                        metavar=('H', 'W'))
    return parser


def run_ablation(runs: Sequence[dict], work_dir: str, root: str, data: str = 'data/synthetic',
                 force: bool = False, force_teacher: bool = False,
                 cfg_options: Sequence[str] = (), latency_shape: Sequence[int] = (320, 576),
                 title: str = 'Ablation on the built-in synthetic benchmark',
                 note: str = '') -> str:
    """Train (or reuse) and evaluate each row of ``runs``; write the report; return its text.

    Each run is ``dict(name, config, eval_config=None)`` with paths relative to ``root`` (the
    repository, whose ``tools/train.py`` and ``tools/test.py`` run each row); the first run is
    the teacher of the distillation rows.
    """
    tools = osp.join(root, 'tools')
    start = time.time()
    os.makedirs(work_dir, exist_ok=True)
    if not osp.isfile(osp.join(data, 'annotations', 'instances_val.json')):
        run_logged([sys.executable, osp.join(tools, 'make_synthetic.py'), '--out', data],
                   osp.join(work_dir, 'make_synthetic.log'))
    teacher_ckpt: Optional[str] = None
    rows, classes = [], ()
    for k, spec in enumerate(runs):
        cfg_file = osp.join(root, spec['config'])
        cfg = Config.fromfile(cfg_file)
        run_dir = osp.join(work_dir, osp.splitext(osp.basename(cfg_file))[0])
        ckpt = osp.join(run_dir, f'epoch_{cfg.train_cfg.max_epochs}.pth')
        train_s = None
        if (force_teacher if k == 0 else force) or not osp.isfile(ckpt):
            cmd = [sys.executable, osp.join(tools, 'train.py'), cfg_file, '--work-dir', run_dir]
            opts = list(cfg_options)
            from mmdet_lite.models.distillers import is_distiller
            if is_distiller(cfg.model.type):
                opts.append(f'model.teacher.checkpoint={teacher_ckpt}')
            if opts:
                cmd += ['--cfg-options', *opts]
            print(f"\n== {spec['name']}: training {spec['config']}", flush=True)
            train_s = run_logged(cmd, run_dir + '_train.log')
        else:
            print(f"\n== {spec['name']}: reusing {ckpt}", flush=True)
        if k == 0:
            teacher_ckpt = ckpt

        eval_cfg = osp.join(root, spec.get('eval_config') or spec['config'])
        prefix = osp.join(run_dir, 'test', 'preds')
        run_logged([sys.executable, osp.join(tools, 'test.py'), eval_cfg, ckpt, '--work-dir',
                    osp.join(run_dir, 'test'), '--cfg-options',
                    f'test_evaluator.outfile_prefix={prefix}'], run_dir + '_test.log')
        test_cfg = Config.fromfile(eval_cfg)
        classes = tuple(test_cfg.test_dataloader.dataset.metainfo['classes'])
        ap = ap50_per_class(test_cfg.test_evaluator.ann_file, prefix + '.bbox.json', classes)
        from mmdet_lite.utils.model_complexity import model_complexity
        cplx = model_complexity(test_cfg, tuple(latency_shape))
        rows.append(dict(name=spec['name'], config=spec['config'], ap=ap, train_s=train_s,
                         params_m=cplx['params_M'], gmacs=cplx['gmacs'],
                         ms=ms_per_image(eval_cfg, ckpt, tuple(latency_shape))))
        with open(osp.join(work_dir, 'ablation.json'), 'w') as f:
            json.dump(rows, f, indent=2)
    text = write_report(rows, classes, work_dir, time.time() - start, title, note)
    print('\n' + text)
    print(f"written: {osp.join(work_dir, 'ablation.md')}, {osp.join(work_dir, 'ablation.png')}")
    return text


__all__ = [
    'ablation_parser', 'ap50_per_class', 'ms_per_image', 'run_ablation', 'run_logged',
    'write_report'
]
