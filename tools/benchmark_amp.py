"""Train-step time of the demo config in fp32 and in mixed precision on this CPU, interleaved.

    python tools/benchmark_amp.py [CONFIG] [--rounds 3] [--repeats 3]
    make benchmark-amp

Builds the config's model (the ``make demo`` config by default) and one real training batch of
its train pipeline (``data/synthetic``, written if missing), then times ``train_step`` with
three optimizer wrappers in alternation (A, B, C, A, B, C ...): plain ``OptimWrapper`` (fp32),
``MixedPrecisionOptimWrapper`` as it resolves on this CPU (``cpu_bf16='auto'``: bf16 where the
CPU has bf16 instructions, else fp32) and ``MixedPrecisionOptimWrapper(cpu_bf16=True)``
(bf16 forced, emulated where the CPU lacks it). Prints the CPU, its bf16-related flags, the
per-round medians and each wrapper's time over fp32 (median of the per-round ratios, with
their range). ``ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2`` makes a bf16 CPU behave as an
AVX2 one. Target: the auto wrapper is no slower than fp32 (ratio <= 1.05).
"""

import argparse
import copy
import os.path as osp
import subprocess
import sys
from typing import Callable, Dict, List, Optional

import torch

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEMO = 'configs/effnet_gfl/effnet-gfl_row4-dense_lite1-416-silu-gflv2-amp_synthetic.py'
FLAGS = ('avx2', 'avx512f', 'avx512_vnni', 'avx512_bf16', 'amx_bf16', 'amx_tile')


def cpu_line() -> str:
    """``model name; flags present of FLAGS; oneDNN cap; torch threads``."""
    from mmdet_lite.utils.cpu_features import cpu_flags, cpu_model, native_bf16, onednn_isa_cap
    model = cpu_model()
    flags = cpu_flags()
    present = [f for f in FLAGS if f in flags] or ['(none of ' + ', '.join(FLAGS) + ')']
    native, why = native_bf16()
    return (f'CPU: {model}; flags: {" ".join(present)}; ONEDNN_MAX_CPU_ISA: '
            f'{onednn_isa_cap() or "unset"}; ATen: {torch.backends.cpu.get_cpu_capability()}; '
            f'native bf16: {native} ({why}); '
            f'torch threads: {torch.get_num_threads()}')


def train_steps(config: str) -> Dict[str, Callable[[], object]]:
    """One train-step closure per optimizer wrapper, same initial weights and batch."""
    from mmdet.registry import DATASETS, MODELS
    from mmengine.config import Config
    from mmengine.dataset import pseudo_collate
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import init_default_scope

    import mmdet_lite  # noqa: F401
    init_default_scope('mmdet')
    cfg = Config.fromfile(osp.join(REPO, config) if not osp.isabs(config) else config)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    batch = pseudo_collate([dataset[i] for i in range(cfg.train_dataloader.batch_size)])
    optim = {k: v for k, v in cfg.optim_wrapper.items() if k not in ('type', 'loss_scale')}
    wrappers = {'fp32 OptimWrapper': dict(type='OptimWrapper'),
                'MixedPrecision (auto)': dict(type='MixedPrecisionOptimWrapper'),
                'MixedPrecision (bf16 forced)': dict(type='MixedPrecisionOptimWrapper',
                                                     cpu_bf16=True)}
    steps = {}
    for name, wrapper in wrappers.items():
        m = copy.deepcopy(model).train()
        ow = build_optim_wrapper(m, dict(optim, **wrapper))
        steps[name] = (lambda m=m, ow=ow: m.train_step(batch, ow))
    return steps


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('config', nargs='?', default=DEMO)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--repeats', type=int, default=3, help='steps per round and wrapper')
    args = parser.parse_args(argv)
    from mmdet_lite.benchmark.timing import interleaved_rounds, ratio_spread
    if not osp.isdir(osp.join(REPO, 'data/synthetic')):
        subprocess.run([sys.executable, osp.join(REPO, 'tools/make_synthetic.py'), '--out',
                        osp.join(REPO, 'data/synthetic')], check=True)
    print(cpu_line())
    steps = train_steps(args.config)
    rounds = interleaved_rounds(steps, rounds=args.rounds, repeats=args.repeats, warmup=1)
    base = rounds['fp32 OptimWrapper']
    print(f'\n{args.config}: train step, median ms of {args.repeats} steps per round\n')
    print('| wrapper | rounds (ms) | over fp32 [range] |\n|---|---|---|')
    for name, times in rounds.items():
        ratio = '1' if times is base else str(ratio_spread(times, base))
        print(f"| {name} | {', '.join(f'{t:.0f}' for t in times)} | {ratio} |")


if __name__ == '__main__':
    main()
