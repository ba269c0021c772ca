"""Benchmark of Mobile CenterNet's structured distillation (Sec. 3.2), side by side in one run.

    python tools/benchmark_kd.py [--device cpu] [--repeats 5] [--step-shape 320 576 --batch 2]

Part 1, pair-wise loss Eq. (10), forward + backward, for N = H * W in {1152, 4608, 11520}
(feature maps of 48x24, 96x48 and 144x80 with 16 student / 32 teacher channels, the W16 / W32
stage-4 highest-resolution branches at 576x320 for N = 11520): the naive form that builds both
N x N similarity matrices against ours (C x C Gram matrices, fp64 accumulation). Peak memory is
the growth of the peak RSS (CPU: each case in a fresh subprocess, VmHWM reset before it) or
``torch.cuda.max_memory_allocated`` (GPU). The relative difference is against the naive form
in fp64. Targets at N = 11520: rel. diff <= 1e-4, ours >= 50x less memory and >= 10x faster.

Part 2, training step: the plain W16 student step, the W32 teacher's forward alone and the KD
step (student step + teacher forward + both distillation losses), same batch.
Target: KD step <= 1.15 x (student step + teacher forward).
"""

import argparse
import json
import os.path as osp
import statistics
import subprocess
import sys
import tempfile
from typing import Callable, Dict, List

import torch

from mmdet_lite.benchmark.timing import median_ms

SIZES = {1152: (24, 48), 4608: (48, 96), 11520: (80, 144)}
C_S, C_T = 16, 32
REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def make_features(n: int, device: str, dtype: torch.dtype = torch.float32, seed: int = 0):
    """Student features correlated with the teacher's (a linear map of them plus noise)."""
    h, w = SIZES[n]
    g = torch.Generator().manual_seed(seed)
    t = torch.randn(1, C_T, h, w, generator=g).relu()
    proj = torch.randn(C_S, C_T, generator=g) / C_T ** 0.5
    s = torch.einsum('st,bthw->bshw', proj, t) + 0.3 * torch.randn(1, C_S, h, w, generator=g)
    return s.to(device, dtype), t.to(device, dtype)


def time_fn(fn: Callable[[], None], device: str, repeats: int, warmup: int = 1) -> float:
    """Median wall time (s) of ``fn`` over ``repeats`` runs after ``warmup`` runs."""
    sync = torch.cuda.synchronize if device.startswith('cuda') else None
    return median_ms(fn, repeats, warmup=warmup, sync=sync) / 1e3


def _fwd_bwd(form: str, n: int, device: str) -> Callable[[], float]:
    from mmdet_lite.models.losses import pairwise_similarity_gram, pairwise_similarity_naive
    loss_fn = pairwise_similarity_gram if form == 'gram' else pairwise_similarity_naive
    s, t = make_features(n, device)
    s.requires_grad_(True)

    def step() -> float:
        s.grad = None
        loss = loss_fn(s, t)
        loss.backward()
        return loss.item()

    return step


def peak_memory_case(form: str, n: int, device: str) -> Dict[str, float]:
    """Peak extra memory (MB) of one forward + backward; run in a fresh process on CPU."""
    step = _fwd_bwd(form, n, device)
    if device.startswith('cuda'):
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
        step()
        torch.cuda.synchronize()
        return dict(peak_mb=(torch.cuda.max_memory_allocated() - base) / 2 ** 20)
    base = _reset_peak_rss()
    step()
    return dict(peak_mb=(_proc_status_kib('VmHWM') - base) / 1024)


def _proc_status_kib(key: str) -> int:
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(key + ':'):
                return int(line.split()[1])
    raise RuntimeError(f'{key} not in /proc/self/status')


def _reset_peak_rss() -> int:
    """Reset the process's peak RSS (VmHWM) to its current RSS (Linux); return that RSS in KiB.

    ``ru_maxrss`` is no good here: it survives ``exec`` and so includes the parent's peak.
    """
    with open('/proc/self/clear_refs', 'w') as f:
        f.write('5')
    return _proc_status_kib('VmRSS')


def measure_peak(form: str, n: int, device: str) -> float:
    if device.startswith('cuda'):
        return peak_memory_case(form, n, device)['peak_mb']
    out = subprocess.run([sys.executable, osp.abspath(__file__), '--peak-case', form, str(n)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])['peak_mb']


def bench_pairwise(device: str, repeats: int) -> List[dict]:
    from mmdet_lite.models.losses import pairwise_similarity_gram, pairwise_similarity_naive
    rows = []
    for n in SIZES:
        s, t = make_features(n, device)
        ref = pairwise_similarity_naive(s.double(), t.double()).item()
        naive32 = pairwise_similarity_naive(s, t).item()
        ours = pairwise_similarity_gram(s, t).item()
        t_naive = time_fn(_fwd_bwd('naive', n, device), device, repeats)
        t_ours = time_fn(_fwd_bwd('gram', n, device), device, repeats)
        m_naive = measure_peak('naive', n, device)
        m_ours = measure_peak('gram', n, device)
        rows.append(dict(N=n, loss=ref, naive_ms=t_naive * 1e3, ours_ms=t_ours * 1e3,
                         speedup=t_naive / t_ours, naive_mb=m_naive, ours_mb=m_ours,
                         mem_ratio=m_naive / max(m_ours, 1e-3),
                         rel_diff_ours=abs(ours - ref) / abs(ref),
                         rel_diff_naive_fp32=abs(naive32 - ref) / abs(ref)))
    return rows


def _kd_and_student(device: str, weights: list) -> tuple:
    """The structured-KD model (W32 teacher with initial weights, W16 CBFL student) and the
    plain W16 CBFL student, both with class weights set as ClassBalancedWeightsHook would."""
    from mmdet.registry import MODELS
    from mmengine.config import Config
    kd_cfg = Config.fromfile(osp.join(
        REPO, 'configs/mobile_centernet',
        'kd_mcn_hrnet-w32-teacher_hrnet-w16-student_cbfl_synthetic.py'))
    teacher_cfg = Config.fromfile(osp.join(
        REPO, 'configs/mobile_centernet/mcn_hrnet-w32_teacher_synthetic.py'))
    classes = tuple(kd_cfg.train_dataloader.dataset.metainfo.classes)
    for model_cfg in (kd_cfg.model, teacher_cfg.model):  # timing: no pre-trained files needed
        model_cfg.backbone.pop('init_cfg', None)
    with tempfile.TemporaryDirectory() as tmp:
        teacher = MODELS.build(teacher_cfg.model)
        teacher.init_weights()
        ckpt = osp.join(tmp, 'teacher.pth')
        torch.save(dict(state_dict=teacher.state_dict(),
                        meta=dict(dataset_meta=dict(classes=classes))), ckpt)
        kd_model_cfg = kd_cfg.model.copy()
        kd_model_cfg.teacher = dict(config=teacher_cfg.filename, checkpoint=ckpt)
        kd_model_cfg.bbox_head.loss_center_heatmap.class_weights = weights
        kd = MODELS.build(kd_model_cfg).to(device)
        kd.check_classes(classes)  # DistillerHook's job in a run
    student_cfg = Config.fromfile(osp.join(
        REPO, 'configs/mobile_centernet/mcn_hrnet-w16_cbfl_synthetic.py')).model
    student_cfg.backbone.pop('init_cfg', None)
    student_cfg.bbox_head.loss_center_heatmap.class_weights = weights
    student = MODELS.build(student_cfg).to(device)
    student.init_weights()
    kd.init_weights()
    return kd, student


def _fake_batch(shape, batch: int, device: str) -> tuple:
    """Random images with 6 boxes each (every class), seed 0."""
    from mmdet.structures import DetDataSample
    from mmengine.structures import InstanceData
    h, w = shape
    g = torch.Generator().manual_seed(0)
    inputs = torch.randn(batch, 3, h, w, generator=g).to(device)
    samples = []
    for _ in range(batch):
        meta = dict(img_shape=(h, w), ori_shape=(h, w), pad_shape=(h, w), batch_input_shape=(h, w))
        xy = torch.rand(6, 2, generator=g) * torch.tensor([w * 0.7, h * 0.7])
        wh = 8 + torch.rand(6, 2, generator=g) * torch.tensor([w * 0.25, h * 0.25])
        sample = DetDataSample(metainfo=meta)
        sample.gt_instances = InstanceData(bboxes=torch.cat([xy, xy + wh], 1).to(device),
                                           labels=torch.tensor([0, 0, 1, 1, 2, 3]).to(device))
        samples.append(sample)
    return inputs, samples


def _train_step_fn(model, inputs, samples):  # noqa: ANN001, ANN202
    from mmengine.optim import build_optim_wrapper
    optim = build_optim_wrapper(model, dict(optimizer=dict(type='Adam', lr=1e-4)))
    model.train()

    def step():
        losses = model.loss(inputs, samples)
        loss, _ = model.parse_losses(losses)
        optim.update_params(loss)
    return step


def bench_step(device: str, repeats: int, shape, batch: int) -> dict:
    """Median time of the plain student step, the teacher forward and the KD step."""
    from mmengine.registry import init_default_scope
    init_default_scope('mmdet')
    kd, student = _kd_and_student(device, [1.0, 2.0, 4.0, 10.0])
    inputs, samples = _fake_batch(shape, batch, device)

    def teacher_fwd():
        with torch.no_grad():
            kd.teacher.bbox_head.forward_logits(kd.teacher.extract_feat(inputs))

    # interleave the three measurements so that machine load affects them alike
    t_student, t_teacher, t_kd = [], [], []
    fns = (_train_step_fn(student, inputs, samples), teacher_fwd,
           _train_step_fn(kd, inputs, samples))
    for fn in fns:
        fn()
    for _ in range(repeats):
        for fn, acc in zip(fns, (t_student, t_teacher, t_kd), strict=True):
            acc.append(time_fn(fn, device, 1, warmup=0))
    res = dict(student_step_ms=statistics.median(t_student) * 1e3,
               teacher_fwd_ms=statistics.median(t_teacher) * 1e3,
               kd_step_ms=statistics.median(t_kd) * 1e3)
    res['kd_over_sum'] = res['kd_step_ms'] / (res['student_step_ms'] + res['teacher_fwd_ms'])
    return res


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--step-shape', type=int, nargs=2, default=(320, 576), metavar=('H', 'W'))
    parser.add_argument('--batch', type=int, default=2)
    parser.add_argument('--skip-step', action='store_true', help='only the pair-wise loss part')
    parser.add_argument('--json', help='also write the figures to this file')
    parser.add_argument('--peak-case', nargs=2, help=argparse.SUPPRESS)  # internal: subprocess
    args = parser.parse_args()
    if args.peak_case:
        print(json.dumps(peak_memory_case(args.peak_case[0], int(args.peak_case[1]), 'cpu')))
        return
    sys.path.insert(0, REPO)

    print(f'device: {args.device}, torch {torch.__version__}, threads {torch.get_num_threads()}')
    rows = bench_pairwise(args.device, args.repeats)
    print('\nPair-wise loss Eq. (10), forward + backward, student C=16 / teacher C=32, batch 1')
    print('| N | naive ms | ours ms | speed-up | naive peak MB | ours peak MB | memory ratio '
          '| rel. diff ours | rel. diff naive fp32 |')
    print('|---|---|---|---|---|---|---|---|---|')
    for r in rows:
        print(f"| {r['N']} | {r['naive_ms']:.1f} | {r['ours_ms']:.2f} | {r['speedup']:.0f}x "
              f"| {r['naive_mb']:.1f} | {r['ours_mb']:.2f} | {r['mem_ratio']:.0f}x "
              f"| {r['rel_diff_ours']:.1e} | {r['rel_diff_naive_fp32']:.1e} |")
    big = rows[-1]
    ok = (big['rel_diff_ours'] <= 1e-4, big['mem_ratio'] >= 50, big['speedup'] >= 10)
    print(f"targets at N=11520: rel. diff <= 1e-4 {'met' if ok[0] else 'NOT met'}, "
          f"memory >= 50x {'met' if ok[1] else 'NOT met'}, "
          f"speed >= 10x {'met' if ok[2] else 'NOT met'}")
    result = dict(pairwise=rows)
    if not args.skip_step:
        step = bench_step(args.device, args.repeats, tuple(args.step_shape), args.batch)
        h, w = args.step_shape
        print(f'\nTraining step at {w}x{h}, batch {args.batch} (median of {args.repeats})')
        print('| W16 student step ms | W32 teacher forward ms | KD step ms '
              '| KD / (student + teacher) |')
        print('|---|---|---|---|')
        print(f"| {step['student_step_ms']:.0f} | {step['teacher_fwd_ms']:.0f} "
              f"| {step['kd_step_ms']:.0f} | {step['kd_over_sum']:.3f} |")
        print(f"target KD step <= 1.15 x (student step + teacher forward): "
              f"{'met' if step['kd_over_sum'] <= 1.15 else 'NOT met'}")
        result['step'] = step
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(result, f, indent=2)


if __name__ == '__main__':
    main()
