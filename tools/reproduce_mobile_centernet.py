"""Reproduce Mobile CenterNet's Table 2 ablation on the built-in synthetic benchmark.

    python tools/reproduce_mobile_centernet.py [--work-dir work_dirs/ablation_mcn] [--force]
    make ablation-mcn

Trains, with the quick (CPU-sized) configs, one after the other: the W32 teacher, W16, W16+CBFL
and W16+CBFL+KD (distilled from that teacher); evaluates each with the COCO metric on the
synthetic val split; then writes ``ablation.md`` (mAP@0.5, per-class AP@0.5, params, GMACs and
CPU ms/image at 576x320, training time) and ``ablation.png`` to the work dir. A run whose final
checkpoint exists is reused, not retrained (``--force`` retrains all but the teacher; the teacher
is retrained only with ``--force-teacher``), so the teacher of a previous run is kept.
The KD checkpoint is evaluated with the plain W16+CBFL config, as any student checkpoint.
"""

import argparse
import importlib.util
import json
import os
import os.path as osp
import statistics
import subprocess
import sys
import time
from typing import Dict, List, Optional

import torch
from mmengine.config import Config

TOOLS = osp.dirname(osp.abspath(__file__))
ROOT = osp.dirname(TOOLS)
MCN = 'configs/mobile_centernet/'
RUNS = [
    # name, training config, config used to evaluate the checkpoint
    ('HRNet-W32 (teacher)', 'mcn_hrnet-w32_teacher_synthetic.py', None),
    ('HRNet-W16', 'mcn_hrnet-w16_synthetic.py', None),
    ('HRNet-W16 + CBFL', 'mcn_hrnet-w16_cbfl_synthetic.py', None),
    ('HRNet-W16 + CBFL + KD', 'mcn_hrnet-w16_cbfl_kd_synthetic.py',
     'mcn_hrnet-w16_cbfl_synthetic.py'),
]


def config_path(name: str) -> str:
    return osp.join(ROOT, MCN, name)


def final_checkpoint(run_dir: str, cfg: Config) -> str:
    return osp.join(run_dir, f'epoch_{cfg.train_cfg.max_epochs}.pth')


def run(cmd: List[str], log_path: str) -> float:
    """Run ``cmd``, tee its output to ``log_path``; return the wall time in seconds."""
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


def ap50_per_class(ann_file: str, det_file: str, classes) -> Dict[str, float]:
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


def complexity(cfg_file: str, shape) -> dict:
    spec = importlib.util.spec_from_file_location('analyze_model', osp.join(TOOLS,
                                                                            'analyze_model.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.analyze(Config.fromfile(cfg_file), shape)


def ms_per_image(cfg_file: str, ckpt: str, shape, repeats: int = 20) -> float:
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


def write_report(rows: List[dict], classes, out_dir: str, total_s: float) -> str:
    lines = [
        '# Mobile CenterNet ablation (Table 2) on the built-in synthetic benchmark', '',
        f'Quick configs (288x160, 3 epochs); params / GMACs / CPU ms per image at 576x320, '
        f'batch 1, {torch.get_num_threads()} threads. Total run time {total_s / 60:.1f} min.', '',
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
    ax.set_title('Mobile CenterNet ablation, quick configs')
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(osp.join(out_dir, 'ablation.png'), dpi=120)
    return text


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--work-dir', default='work_dirs/ablation_mcn')
    parser.add_argument('--data', default='data/synthetic',
                        help='synthetic benchmark root (made if missing; the configs read '
                        'data/synthetic relative to the working directory)')
    parser.add_argument('--force', action='store_true', help='retrain the students')
    parser.add_argument('--force-teacher', action='store_true', help='retrain the teacher too')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='extra key=value overrides for every training run')
    parser.add_argument('--latency-shape', type=int, nargs=2, default=(320, 576))
    args = parser.parse_args(argv)

    start = time.time()
    os.makedirs(args.work_dir, exist_ok=True)
    if not osp.isfile(osp.join(args.data, 'annotations', 'instances_val.json')):
        run([sys.executable, osp.join(TOOLS, 'make_synthetic.py'), '--out', args.data],
            osp.join(args.work_dir, 'make_synthetic.log'))
    teacher_ckpt = None
    rows = []
    for k, (name, cfg_name, eval_cfg_name) in enumerate(RUNS):
        cfg_file = config_path(cfg_name)
        cfg = Config.fromfile(cfg_file)
        run_dir = osp.join(args.work_dir, osp.splitext(cfg_name)[0])
        ckpt = final_checkpoint(run_dir, cfg)
        force = args.force_teacher if k == 0 else args.force
        train_s = None
        if force or not osp.isfile(ckpt):
            cmd = [sys.executable, osp.join(TOOLS, 'train.py'), cfg_file, '--work-dir', run_dir]
            opts = list(args.cfg_options)
            if cfg.model.type == 'StructuredKDDistiller':
                opts.append(f'model.teacher.checkpoint={teacher_ckpt}')
            if opts:
                cmd += ['--cfg-options', *opts]
            print(f'\n== {name}: training {cfg_name}', flush=True)
            train_s = run(cmd, osp.join(run_dir + '_train.log'))
        else:
            print(f'\n== {name}: reusing {ckpt}', flush=True)
        if k == 0:
            teacher_ckpt = ckpt

        eval_cfg = config_path(eval_cfg_name or cfg_name)
        test_dir = osp.join(run_dir, 'test')
        prefix = osp.join(test_dir, 'preds')
        run([sys.executable, osp.join(TOOLS, 'test.py'), eval_cfg, ckpt, '--work-dir', test_dir,
             '--cfg-options', f'test_evaluator.outfile_prefix={prefix}'],
            osp.join(run_dir + '_test.log'))
        test_cfg = Config.fromfile(eval_cfg)
        classes = tuple(test_cfg.test_dataloader.dataset.metainfo['classes'])
        ap = ap50_per_class(test_cfg.test_evaluator.ann_file, prefix + '.bbox.json', classes)
        cplx = complexity(eval_cfg, tuple(args.latency_shape))
        rows.append(dict(name=name, config=cfg_name, ap=ap, train_s=train_s,
                         params_m=cplx['params_M'], gmacs=cplx['gmacs'],
                         ms=ms_per_image(eval_cfg, ckpt, tuple(args.latency_shape))))
        with open(osp.join(args.work_dir, 'ablation.json'), 'w') as f:
            json.dump(rows, f, indent=2)

    text = write_report(rows, classes, args.work_dir, time.time() - start)
    print('\n' + text)
    print(f"written: {osp.join(args.work_dir, 'ablation.md')}, "
          f"{osp.join(args.work_dir, 'ablation.png')}")


if __name__ == '__main__':
    main()
