"""Deployed accuracy and speed per family: the mAP of the files a user ships, fp32 / fp16 / int8.

    python tools/benchmark_deployment.py [--work-dir work_dirs/deployment]
        [--families mcn_w16 rdl72 ssd_1_8 effnet_lite1] [--checkpoint KEY=PATH ...]
        [--calib 64] [--rounds 3] [--repeats 20]

For each family, from a trained checkpoint on the built-in synthetic data (``--checkpoint``, else
the one in the work dir, else trained there with tools/train.py): exports the end-to-end ONNX
file in fp32 and fp16 at the config's test size, quantizes it to int8 for onnxruntime and for
TensorRT (tools/quantize_onnx.py, calibrated on ``--calib`` training images), evaluates the
checkpoint and the four files in one pass over the synthetic val split (tools/test_deployed.py)
and times fp32 against int8 (onnxruntime, 1 and 2 threads) in interleaved rounds. Writes
``deployment.md`` / ``deployment.json`` and prints the acceptance checks: fp32 within 0.002
mAP@0.5 of PyTorch, fp16 within 0.005, int8 at most 0.01 below fp32 and >= 2x faster at 1
thread.
"""

import argparse
import json
import os
import os.path as osp
import subprocess
import sys
from typing import Dict, List, NamedTuple, Optional, Tuple

import mmdet_lite  # noqa: F401
from mmdet_lite.benchmark.report import write_markdown
from mmdet_lite.benchmark.timing import interleaved_rounds, ort_runner, ratio_spread

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
FAMILIES = {
    # key: (label, config, checkpoint of a finished run in a work dir, relative to the root)
    'mcn_w16': ('Mobile CenterNet HRNet-W16 + CBFL',
                'configs/mobile_centernet/mcn_hrnet-w16_cbfl_synthetic.py', 'epoch_3.pth'),
    'rdl72': ('RefineDetLite72 (basic, Table 3 row c)',
              'configs/refinedet_lite/refinedet-lite_res2netlite72_synthetic.py', 'epoch_4.pth'),
    'ssd_1_8': ('SSD300 1/8 VGG16 (pre-trained backbone)',
                'configs/attention_kd/ssd300_vgg16-1-8_synthetic.py', 'epoch_4.pth'),
    'effnet_lite1': ('EfficientNet-Lite1 + PAN + GFLv2 (row 4, dense)',
                     'configs/effnet_gfl/effnet-gfl_row4-dense_lite1-416-silu-gflv2-amp_synthetic.py',
                     'epoch_4.pth'),
}


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--work-dir', default='work_dirs/deployment')
    parser.add_argument('--families', nargs='+', choices=list(FAMILIES), default=list(FAMILIES))
    parser.add_argument('--checkpoint', nargs='*', default=[], metavar='KEY=PATH',
                        help='a trained checkpoint to use for a family')
    parser.add_argument('--calib', type=int, default=64, help='int8 calibration images')
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--repeats', type=int, default=20)
    return parser.parse_args(argv)


def checkpoint_for(key: str, given: Dict[str, str], work_dir: str) -> str:
    """The given checkpoint, or the family's run in the work dir (trained now if missing)."""
    if key in given:
        if not osp.isfile(given[key]):
            raise SystemExit(f'--checkpoint {key}={given[key]}: no such file')
        return given[key]
    _, config, final = FAMILIES[key]
    run_dir = osp.join(work_dir, key)
    ckpt = osp.join(run_dir, final)
    if not osp.isfile(ckpt):
        print(f'== {key}: training {config} into {run_dir}', flush=True)
        subprocess.run([sys.executable, osp.join(ROOT, 'tools/train.py'), osp.join(ROOT, config),
                        '--work-dir', run_dir, '--resume'], check=True)
    return ckpt


class Family(NamedTuple):
    """A family's config read once: the config, its test input size (H, W), raw pad value and
    classes."""
    config: str
    cfg: object
    shape: Tuple[int, int]
    pad: float
    classes: List[str]


def load_family(key: str) -> Family:
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from mmdet_lite.export.deployed_eval import raw_pad_value, test_pipeline_shape
    from mmdet_lite.export.export_onnx import dataset_classes
    config = osp.join(ROOT, FAMILIES[key][1])
    cfg = Config.fromfile(config)
    init_default_scope(cfg.get('default_scope', 'mmdet'))
    return Family(config, cfg, test_pipeline_shape(cfg),
                  raw_pad_value(cfg.model.get('data_preprocessor', {})),
                  list(dataset_classes(cfg)))


def family_files(fam: Family, ckpt: str, out: str, calib: int) -> Dict[str, str]:
    """fp32 / fp16 / int8 (onnxruntime) / int8 (tensorrt) files of one checkpoint."""
    from mmdet_lite.export import export_onnx
    from mmdet_lite.export.deployed_eval import calibration_images
    from mmdet_lite.export.quantize import quantize_detector
    os.makedirs(out, exist_ok=True)
    files = dict(
        fp32=export_onnx(fam.config, ckpt, fam.shape, osp.join(out, 'fp32.onnx')),
        fp16=export_onnx(fam.config, ckpt, fam.shape, osp.join(out, 'fp16.onnx'), fp16=True))
    for target in ('onnxruntime', 'tensorrt'):
        path = osp.join(out, f'int8_{target}.onnx')
        quantize_detector(files['fp32'], path,
                          calibration_images(fam.cfg, calib, fam.shape, fam.pad), target=target)
        files[f'int8_{target}'] = path
    return files


def evaluate_family(fam: Family, ckpt: str, files: Dict[str, str]) -> Dict[str, float]:
    """mAP@0.5 (unrounded) of the checkpoint and of each file, one pass over the val split."""
    from mmdet_lite.export import load_detector
    from mmdet_lite.export.deployed_eval import (
        evaluate_models,
        onnx_predictor,
        pytorch_predictor,
    )
    from mmdet_lite.export.onnx_detector import OnnxDetector
    predictors = {'pytorch': pytorch_predictor(load_detector(fam.config, ckpt)[0])}
    for name, path in files.items():
        predictors[name] = onnx_predictor(OnnxDetector(path), fam.pad, len(fam.classes))
    results = evaluate_models(fam.cfg, predictors)
    out = {}
    for name, metrics in results.items():
        per_class = [metrics[f'coco/{c}_AP50'] for c in fam.classes]
        out[name] = sum(per_class) / len(per_class)
        for c, v in zip(fam.classes, per_class, strict=True):
            out[f'{name}/{c}'] = v
    return out


def time_family(files: Dict[str, str], rounds: int, repeats: int) -> Dict[str, list]:
    """fp32 and int8 (onnxruntime) at 1 and 2 threads, interleaved rounds."""
    fns = {f'{p}_{t}t': ort_runner(files[name], t) for t in (1, 2)
           for p, name in (('fp32', 'fp32'), ('int8', 'int8_onnxruntime'))}
    return interleaved_rounds(fns, rounds=rounds, repeats=repeats)


def profile_family(files: Dict[str, str]) -> Dict[str, dict]:
    """Where the 1-thread time of the fp32 and int8 (onnxruntime) files goes, by operator."""
    from mmdet_lite.benchmark.ort_profile import format_top, int8_share, profile_op_types
    out = {}
    for name in ('fp32', 'int8_onnxruntime'):
        times = profile_op_types(files[name], threads=1)
        out[name] = dict(top=format_top(times), shares=int8_share(times),
                         ops=[t._asdict() for t in times])
    return out


def report(rows: List[dict], work_dir: str) -> str:
    lines = [
        '# Deployed accuracy and CPU latency per family (built-in synthetic val split)', '',
        'mAP@0.5 of the PyTorch checkpoint and of its exported files (onnxruntime); latency of '
        'the fp32 and int8 (onnxruntime target) files at the config test size, batch 1, '
        'interleaved rounds: median ms, speed-up as median [min-max] over the rounds.', '',
        '| family | input (WxH) | PyTorch | ONNX fp32 | ONNX fp16 | ONNX int8 (onnxruntime) '
        '| ONNX int8 (TensorRT QDQ) | fp32 / int8 ms, 1 thread | int8 speed-up, 1 thread '
        '| fp32 / int8 ms, 2 threads | int8 speed-up, 2 threads |',
        '|---|---|---|---|---|---|---|---|---|---|---|']
    for r in rows:
        m, t = r['map50'], r['rounds']

        def ms(call, t=t):
            return float(sorted(t[call])[len(t[call]) // 2])
        lines.append(
            f"| {r['label']} | {r['shape'][1]}x{r['shape'][0]} | {m['pytorch']:.4f} "
            f"| {m['fp32']:.4f} ({m['fp32'] - m['pytorch']:+.4f}) "
            f"| {m['fp16']:.4f} ({m['fp16'] - m['pytorch']:+.4f}) "
            f"| {m['int8_onnxruntime']:.4f} ({m['int8_onnxruntime'] - m['fp32']:+.4f}) "
            f"| {m['int8_tensorrt']:.4f} ({m['int8_tensorrt'] - m['fp32']:+.4f}) "
            f"| {ms('fp32_1t'):.1f} / {ms('int8_1t'):.1f} "
            f"| {ratio_spread(t['fp32_1t'], t['int8_1t'])} "
            f"| {ms('fp32_2t'):.1f} / {ms('int8_2t'):.1f} "
            f"| {ratio_spread(t['fp32_2t'], t['int8_2t'])} |")
    lines += ['', 'Differences in brackets: fp32 and fp16 to PyTorch, int8 to fp32.', '',
              "Where the 1-thread time goes (onnxruntime's profiler, 10 runs, node time by "
              'operator; the int8 file split into int8 kernels, Q/DQ conversions and float '
              'operators):', '',
              '| family | fp32: largest operators | int8: largest operators '
              '| int8 file: int8 / conversions / float |', '|---|---|---|---|']
    for r in rows:
        p = r['profile']
        sh = p['int8_onnxruntime']['shares']
        lines.append(f"| {r['label']} | {p['fp32']['top']} | {p['int8_onnxruntime']['top']} "
                     f"| {100 * sh['int8']:.0f} % / {100 * sh['conversion']:.0f} % / "
                     f"{100 * sh['float']:.0f} % |")
    return write_markdown(lines, osp.join(work_dir, 'deployment.md'))


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    given = dict(item.split('=', 1) for item in args.checkpoint)
    unknown = set(given) - set(FAMILIES)
    if unknown:
        raise SystemExit(f'--checkpoint: unknown families {sorted(unknown)}; use {list(FAMILIES)}')
    os.makedirs(args.work_dir, exist_ok=True)
    rows, failed = [], []
    for key in args.families:
        ckpt = checkpoint_for(key, given, args.work_dir)
        fam = load_family(key)
        files = family_files(fam, ckpt, osp.join(args.work_dir, key), args.calib)
        print(f'== {key}: evaluating the checkpoint and {len(files)} files', flush=True)
        row = dict(key=key, label=FAMILIES[key][0], checkpoint=ckpt, shape=list(fam.shape),
                   map50=evaluate_family(fam, ckpt, files),
                   rounds=time_family(files, args.rounds, args.repeats),
                   profile=profile_family(files))
        rows.append(row)
        m, t = row['map50'], row['rounds']
        speed = ratio_spread(t['fp32_1t'], t['int8_1t'])
        checks = {'fp32 within 0.002 of PyTorch': abs(m['fp32'] - m['pytorch']) <= 0.002,
                  'fp16 within 0.005 of PyTorch': abs(m['fp16'] - m['pytorch']) <= 0.005,
                  'int8 at most 0.01 below fp32': m['int8_onnxruntime'] >= m['fp32'] - 0.01,
                  'int8 >= 2x faster, 1 thread': speed.median >= 2.0}
        for name, ok in checks.items():
            print(f'   {key}: {name}: {"yes" if ok else "NO"}')
            if not ok:
                failed.append(f'{key}: {name}')
        with open(osp.join(args.work_dir, 'deployment.json'), 'w') as f:
            json.dump(rows, f, indent=2)
    print('\n' + report(rows, args.work_dir))
    if failed:
        print('not met: ' + '; '.join(failed))
    return 0


if __name__ == '__main__':
    sys.exit(main())
