"""CPU latency of our exported detectors beside mmdet peers exported the same way, fp32 and int8.

    python tools/benchmark_latency.py [--work-dir work_dirs/latency] [--rounds 3] [--repeats 30]
        [--only mcn_w16 centernet_r18 ...] [--no-int8]

For each model: the end-to-end ONNX (tools/export_onnx.py path, fp32 and fp16 file sizes) and
its int8 version (tools/quantize_onnx.py path, onnxruntime target), onnxruntime latency with 1
thread and with 2 threads, PyTorch latency of the same end-to-end module, params and GMACs.
**Timing is interleaved**: every timed configuration of every model is warmed up, then timed in
rounds (A, B, C, ..., A, B, C, ...), each a median of ``--repeats`` runs; a latency is the
median over the rounds, and a ratio (ours / peer, fp32 / int8) is read round by round and shown
as median [min-max], flagged (!) when its rounds disagree by more than 10 %. Weights are random
(speed, not accuracy; the int8 files are calibrated on 16 built-in synthetic images resized to
the input); the anchor-based graphs end in NMS, whose cost depends on the number of candidates,
so random weights put it at its upper bound (``nms_pre`` candidates). A family without an
end-to-end export would be timed *network only* (normalisation, backbone, neck, head; no
decoding, no NMS), and marked so. A plain stack of 3x3 convolutions, timed the same way, gives
the GMAC/s the runtime reaches on this machine; each model's achieved GMAC/s is reported as a
fraction of it. Writes ``latency.md`` and ``latency.png`` (latency vs GMACs) to the work dir and
prints each ratio ours / peer.

Pairs (ours vs peer): Mobile CenterNet W16 vs mmdet CenterNet-R18 at 576x320 (target: <= 0.5x
onnxruntime 1-thread latency); RefineDetLite72 vs mmdet's SSDLite-MobileNetV2 at 320x320 (target
<= 1.0x); the attention-KD SSD students vs the SSD300-VGG16 teacher at 300x300; the
EfficientNet-Lite1 + PAN + GFLv2 student vs mmdet's RTMDet-tiny and YOLOX-tiny at 416x416 (network
only for all three: the peers have no end-to-end export here; ours end-to-end as well).
"""

import argparse
import json
import os
import os.path as osp
import sys
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np
import torch
import torch.nn as nn

import mmdet_lite  # noqa: F401
from mmdet_lite.benchmark.report import new_figure, save_figure, write_markdown
from mmdet_lite.benchmark.timing import interleaved_rounds, ort_runner, ort_session, ratio_spread
from mmdet_lite.export import (
    ExportError,
    NetworkOnly,
    end2end_module,
    export_network_only,
    export_onnx,
    load_detector,
)

EFFNET_ROW4 = ('configs/effnet_gfl/'
               'effnet-gfl_row4_lite1-416-silu-gflv2-amp-sparse24_2xb64-280e_coco.py')
MODELS_TO_RUN = [
    # key, label, config, (H, W), peer key (for ours) or None
    ('mcn_w16', 'Mobile CenterNet HRNet-W16 (ours)',
     'configs/mobile_centernet/mcn_hrnet-w16_synthetic.py', (320, 576), 'centernet_r18'),
    ('mcn_w32', 'Mobile CenterNet HRNet-W32 teacher (ours)',
     'configs/mobile_centernet/mcn_hrnet-w32_teacher_synthetic.py', (320, 576), 'centernet_r18'),
    ('centernet_r18', 'CenterNet-R18 (mmdet)',
     'mmdet::centernet/centernet_r18_8xb16-crop512-140e_coco.py', (320, 576), None),
    ('refinedet_lite72', 'RefineDetLite72 (ours)',
     'configs/refinedet_lite/refinedet-lite_res2netlite72_4xb32-250e_coco.py', (320, 320),
     'ssdlite_mnv2'),
    ('ssdlite_mnv2', 'SSDLite-MobileNetV2 (mmdet)',
     'mmdet::ssd/ssdlite_mobilenetv2-scratch_8xb24-600e_coco.py', (320, 320), None),
    ('ssd_vgg16_1_8', 'SSD300 1/8 VGG16 (ours)',
     'configs/attention_kd/ssd300_vgg16-1-8_4xb32-240k_voc.py', (300, 300), 'ssd300_vgg16'),
    ('ssd_vgg16_1_4', 'SSD300 1/4 VGG16 (ours)',
     'configs/attention_kd/ssd300_vgg16-1-4_4xb32-240k_voc.py', (300, 300), 'ssd300_vgg16'),
    ('ssd_mnv1_1_2', 'SSD300 1/2 MobileNet (ours)',
     'configs/attention_kd/ssd300_mobilenet-1-2_4xb32-240k_voc.py', (300, 300), 'ssd300_vgg16'),
    ('ssd300_vgg16', 'SSD300 VGG16 (mmdet, the teacher)',
     'configs/attention_kd/ssd300_vgg16_teacher_8xb8-24e_voc.py', (300, 300), None),
    ('effnet_gfl', 'EfficientNet-Lite1 PAN GFLv2 (ours, Table 2 rows 4-5)', EFFNET_ROW4, (416, 416),
     None),
    # the same detector with ReLU6 (EfficientNet-Lite's activation): what SiLU costs in int8
    ('effnet_gfl_relu6', 'EfficientNet-Lite1 PAN GFLv2, ReLU6 (ours, int8 variant)',
     EFFNET_ROW4.replace('row4_lite1-416-silu', 'row4-relu6_lite1-416-relu6'), (416, 416),
     'effnet_gfl'),
    # the peers have no end-to-end export here: ours is timed network-only as well, like for like
    ('effnet_gfl_net', 'EfficientNet-Lite1 PAN GFLv2 (ours, Table 2 rows 4-5)', EFFNET_ROW4,
     (416, 416), ('rtmdet_tiny', 'yolox_tiny')),
    ('rtmdet_tiny', 'RTMDet-tiny (mmdet)', 'mmdet::rtmdet/rtmdet_tiny_8xb32-300e_coco.py',
     (416, 416), None),
    ('yolox_tiny', 'YOLOX-tiny (mmdet)', 'mmdet::yolox/yolox_tiny_8xb8-300e_coco.py', (416, 416),
     None),
]
NETWORK_ONLY = {'effnet_gfl_net'}


def timed_module(config: str, shape, network_only: bool = False) -> Tuple[nn.Module, bool]:
    """The end-to-end export module where there is one, else the network-only module."""
    det, _ = load_detector(config, None)
    if network_only:
        return NetworkOnly(det).eval(), False
    try:
        return end2end_module(det, shape).eval(), True
    except ExportError:
        return NetworkOnly(det).eval(), False


def calibration_set(work_dir: str, shape, num: int = 16) -> List[np.ndarray]:
    """``num`` built-in synthetic images (generated once in the work dir), resized to ``shape``
    as a test pipeline's ``Resize`` does: what the int8 files of random-weight models are
    calibrated on (speed figures only)."""
    import glob

    import mmcv

    from mmdet_lite.datasets.synthetic import make_synthetic_dataset
    root = osp.join(work_dir, 'calibration_data')
    files = sorted(glob.glob(osp.join(root, 'images', 'train', '*.jpg')))
    if len(files) < num:
        make_synthetic_dataset(root, num_train=num, num_val=1, seed=7)
        files = sorted(glob.glob(osp.join(root, 'images', 'train', '*.jpg')))
    return [mmcv.imresize(mmcv.imread(f), (shape[1], shape[0])).transpose(2, 0, 1)
            .astype(np.float32) for f in files[:num]]


class ConvStack(nn.Module):
    """Plain 3x3 conv + ReLU layers: what the runtime reaches on dense convolutions."""

    def __init__(self, channels: int = 64, layers: int = 8) -> None:
        super().__init__()
        self.body = nn.Sequential(*[m for _ in range(layers) for m in
                                    (nn.Conv2d(channels, channels, 3, padding=1), nn.ReLU())])

    def forward(self, x):
        return self.body(x)


def conv_stack_rate(work_dir: str, repeats: int) -> Dict[str, float]:
    """GMAC/s of onnxruntime (1 and 2 threads) on a 64-channel 3x3 conv stack at 80x144."""
    channels, layers, h, w = 64, 8, 80, 144
    model = ConvStack(channels, layers).eval()
    path = osp.join(work_dir, 'conv_stack.onnx')
    with torch.no_grad():
        torch.onnx.export(model, (torch.zeros(1, channels, h, w), ), path, opset_version=11,
                          dynamo=False, input_names=['input'])
    gmacs = layers * channels * channels * 9 * h * w / 1e9
    res = dict(gmacs=gmacs)
    x = np.random.default_rng(0).standard_normal((1, channels, h, w)).astype(np.float32)
    fns = {}
    for threads, key in ((1, 'ort_1t'), (2, 'ort_2t')):
        sess = ort_session(path, threads)
        fns[key] = lambda s=sess: s.run(None, {'input': x})
    for key, rounds in interleaved_rounds(fns, rounds=3, repeats=repeats).items():
        res[key + '_gmacs_per_s'] = gmacs / (float(np.median(rounds)) / 1e3)
    return res


def complexity(config: str, shape) -> Dict[str, float]:
    """Params and GMACs as tools/analyze_model.py counts them (one implementation)."""
    from mmengine.config import Config

    from mmdet_lite.benchmark.complexity import model_complexity
    from mmdet_lite.utils import resolve_config_path
    res = model_complexity(Config.fromfile(resolve_config_path(config)), tuple(shape))
    return dict(params_m=res['params_M'], gmacs=res['gmacs'])


def prepare_model(key: str, label: str, config: str, shape, work_dir: str,
                  int8: bool = True) -> Tuple[dict, Dict[str, Callable[[], object]]]:
    """Export (fp32, fp16, int8) and count one model; return its row and its timed calls."""
    print(f'== {label}: {config} at {shape[1]}x{shape[0]}', flush=True)
    module, end2end = timed_module(config, shape, key in NETWORK_ONLY)

    def export(out: str, fp16: bool = False) -> str:
        if end2end:
            return export_onnx(config, None, shape, out, fp16=fp16)
        return export_network_only(config, shape, out, fp16=fp16)
    fp32 = export(osp.join(work_dir, f'{key}.onnx'))
    fp16 = export(osp.join(work_dir, f'{key}_fp16.onnx'), fp16=True)
    row = dict(key=key, label=label + ('' if end2end else ' [network only]'), config=config,
               shape=list(shape), end2end=end2end, onnx_mb=osp.getsize(fp32) / 2 ** 20,
               onnx_fp16_mb=osp.getsize(fp16) / 2 ** 20)
    row.update(complexity(config, shape))
    fns = {'ort_1t': ort_runner(fp32, 1), 'ort_2t': ort_runner(fp32, 2)}
    if int8:
        from mmdet_lite.export.quantize import quantize_detector
        q = osp.join(work_dir, f'{key}_int8.onnx')
        quantize_detector(fp32, q, iter(calibration_set(work_dir, shape)))
        row['onnx_int8_mb'] = osp.getsize(q) / 2 ** 20
        fns['ort_1t_int8'] = ort_runner(q, 1)
        fns['ort_2t_int8'] = ort_runner(q, 2)
    x = torch.rand(1, 3, *shape) * 255

    def torch_call():
        with torch.no_grad():
            return module(x)
    fns['torch'] = torch_call
    return row, fns


def time_models(rows: List[dict], fns: Dict[str, Dict[str, Callable[[], object]]],
                rounds: int, repeats: int) -> None:
    """Interleaved rounds over every model's timed calls; adds ``<call>_ms`` (median over the
    rounds) and ``<call>_rounds`` to each row."""
    flat = {(key, call): fn for key, calls in fns.items() for call, fn in calls.items()}
    timed = interleaved_rounds(flat, rounds=rounds, repeats=repeats)
    by_key = {r['key']: r for r in rows}
    for (key, call), values in timed.items():
        by_key[key][f'{call}_rounds'] = values
        by_key[key][f'{call}_ms'] = float(np.median(values))


def _ratio(a: dict, b: dict, call_a: str, call_b: Optional[str] = None) -> str:
    call_b = call_b or call_a
    if f'{call_a}_rounds' not in a or f'{call_b}_rounds' not in b:
        return '-'
    return str(ratio_spread(a[f'{call_a}_rounds'], b[f'{call_b}_rounds']))


def write_report(rows: List[dict], rate: dict, work_dir: str, rounds: int) -> str:
    def ms(r, call):
        return f"{r[call + '_ms']:.1f}" if call + '_ms' in r else '-'
    lines = [
        '# CPU latency, batch 1: end-to-end (decoding included) where the family has an '
        'end-to-end export, else [network only] (no decoding, no NMS) for ours and peer alike', '',
        f'torch {torch.__version__}, onnxruntime '
        f'{__import__("onnxruntime").__version__}, {os.cpu_count()} CPUs; {rounds} interleaved '
        'rounds, each a median; ratios as median [min-max] over the rounds, (!) where the rounds '
        'disagree by more than 10 %. Plain 3x3 conv stack: '
        f"{rate['ort_1t_gmacs_per_s']:.1f} GMAC/s (1 thread), "
        f"{rate['ort_2t_gmacs_per_s']:.1f} GMAC/s (2 threads).", '',
        '| model | input (WxH) | params (M) | GMACs | ONNX MB (fp32 / fp16 / int8) '
        '| ORT 1 thread ms (fp32 / int8) | int8 speed-up, 1 thread | ORT 2 threads ms '
        '(fp32 / int8) | int8 speed-up, 2 threads | PyTorch ms | fp32 GMAC/s (1 thread) '
        '| of conv-stack rate |',
        '|---|---|---|---|---|---|---|---|---|---|---|---|'
    ]
    for r in rows:
        achieved = r['gmacs'] / (r['ort_1t_ms'] / 1e3)
        int8_mb = f" / {r['onnx_int8_mb']:.2f}" if 'onnx_int8_mb' in r else ''
        lines.append(
            f"| {r['label']} | {r['shape'][1]}x{r['shape'][0]} | {r['params_m']:.2f} "
            f"| {r['gmacs']:.2f} | {r['onnx_mb']:.2f} / {r['onnx_fp16_mb']:.2f}{int8_mb} "
            f"| {ms(r, 'ort_1t')} / {ms(r, 'ort_1t_int8')} "
            f"| {_ratio(r, r, 'ort_1t', 'ort_1t_int8')} "
            f"| {ms(r, 'ort_2t')} / {ms(r, 'ort_2t_int8')} "
            f"| {_ratio(r, r, 'ort_2t', 'ort_2t_int8')} | {ms(r, 'torch')} "
            f"| {achieved:.1f} | {achieved / rate['ort_1t_gmacs_per_s']:.0%} |")
    lines += ['', '| ours / peer | ORT 1 thread fp32 | ORT 1 thread int8 | ORT 2 threads fp32 '
              '| ORT 2 threads int8 | PyTorch | GMACs |', '|---|---|---|---|---|---|---|']
    by_key = {r['key']: r for r in rows}
    for key, _, _, _, peers in MODELS_TO_RUN:
        for peer in (peers, ) if isinstance(peers, str) else peers or ():
            if key in by_key and peer in by_key:
                a, b = by_key[key], by_key[peer]
                cells = [_ratio(a, b, c) for c in ('ort_1t', 'ort_1t_int8', 'ort_2t',
                                                   'ort_2t_int8', 'torch')]
                lines.append(f"| {a['label']} / {b['label']} | " + ' | '.join(cells)
                             + f" | {a['gmacs'] / b['gmacs']:.2f}x |")
    text = write_markdown(lines, osp.join(work_dir, 'latency.md'))
    fig, ax = new_figure((6, 4))
    for r in rows:
        ax.scatter(r['gmacs'], r['ort_1t_ms'], s=40)
        ax.annotate(r['label'], (r['gmacs'], r['ort_1t_ms']), fontsize=7)
    ax.set_xlabel('GMACs')
    ax.set_ylabel('onnxruntime 1-thread latency (ms)')
    ax.set_title('Latency vs GMACs (CPU)')
    save_figure(fig, osp.join(work_dir, 'latency.png'))
    return text


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--work-dir', default='work_dirs/latency')
    parser.add_argument('--rounds', type=int, default=3, help='interleaved rounds (>= 3)')
    parser.add_argument('--repeats', type=int, default=30, help='runs per round and call')
    parser.add_argument('--only', nargs='*', help='model keys to run (default: all)')
    parser.add_argument('--no-int8', action='store_true', help='skip the int8 files')
    args = parser.parse_args(argv)
    os.makedirs(args.work_dir, exist_ok=True)
    rate = conv_stack_rate(args.work_dir, args.repeats)
    rows, fns = [], {}
    for key, label, cfg, shape, _ in MODELS_TO_RUN:
        if not args.only or key in args.only:
            row, calls = prepare_model(key, label, cfg, shape, args.work_dir,
                                       int8=not args.no_int8)
            rows.append(row)
            fns[key] = calls
    print(f'timing {sum(len(c) for c in fns.values())} calls in {args.rounds} interleaved '
          'rounds', flush=True)
    time_models(rows, fns, args.rounds, args.repeats)
    with open(osp.join(args.work_dir, 'latency.json'), 'w') as f:
        json.dump(dict(conv_stack=rate, rounds=args.rounds, models=rows), f, indent=2)
    text = write_report(rows, rate, args.work_dir, args.rounds)
    print('\n' + text)
    by_key = {r['key']: r for r in rows}
    if 'mcn_w16' in by_key and 'centernet_r18' in by_key:
        ratio = ratio_spread(by_key['mcn_w16']['ort_1t_rounds'],
                             by_key['centernet_r18']['ort_1t_rounds'])
        print(f'target Mobile CenterNet W16 <= 0.5x CenterNet-R18 (ORT, 1 thread, 576x320): '
              f'{ratio}, ' + ('met' if ratio.median <= 0.5 else 'NOT met'))
    if 'refinedet_lite72' in by_key and 'ssdlite_mnv2' in by_key:
        ratio = ratio_spread(by_key['refinedet_lite72']['ort_1t_rounds'],
                             by_key['ssdlite_mnv2']['ort_1t_rounds'])
        print(f'target RefineDetLite72 <= 1.0x SSDLite-MobileNetV2 (ORT, 1 thread, 320x320): '
              f'{ratio}, ' + ('met' if ratio.median <= 1.0 else 'NOT met'))


if __name__ == '__main__':
    sys.exit(main())
