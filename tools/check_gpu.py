"""Check that every family trains, tests and exports on this machine's CUDA GPU, in minutes.

    python tools/check_gpu.py [--work-dir work_dirs/check_gpu] [--dry-run]
    make check-gpu

On a CUDA machine (after ``make install-deploy``): writes the synthetic data if missing, trains
each family two iterations with its mixed-precision config (``--amp`` where the config has no
mixed-precision wrapper; the class-balanced configs, so that the class weights of
``ClassBalancedWeightsHook`` meet the CUDA model), trains one KD config (Mobile CenterNet
structured KD, its W32 teacher trained two iterations first) two iterations, runs
``tools/test.py`` on each result and exports every family with ``tools/deploy.py --device
cuda:0`` and a TensorRT deploy config. Prints a pass/fail table (each step's log is in the work
dir) and exits 1 if any step failed. Without CUDA it says so and exits 2; ``--dry-run`` prints
the commands instead of running them (any machine).
"""

import argparse
import os
import os.path as osp
import subprocess
import sys
import time
from typing import Dict, List, NamedTuple, Optional, Tuple

PY = sys.executable
DEPLOY = 'configs/deploy/detection_tensorrt-fp16_static-{}.py'
# two iterations of batch 2, one epoch, a 4-image validation split, no visualisation
TINY = ['train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False', 'train_dataloader.dataset.indices=4',
        'train_cfg.max_epochs=1', 'train_cfg.val_interval=1', 'val_dataloader.dataset.indices=4',
        'val_dataloader.num_workers=0', 'val_dataloader.persistent_workers=False',
        'test_dataloader.dataset.indices=4', 'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False']


class Family(NamedTuple):
    """One family's check: its config, extra options, ``--amp`` or not, deploy input size."""

    name: str
    config: str
    options: Tuple[str, ...] = ()
    amp: bool = True
    deploy_size: str = '320x320'


FAMILIES = (
    Family('mobile_centernet', 'configs/mobile_centernet/mcn_hrnet-w16_cbfl_synthetic.py',
           deploy_size='576x320'),
    Family('refinedet_lite', 'configs/refinedet_lite/refinedet-lite-pp_res2netlite72_synthetic.py',
           ('model.backbone.init_cfg=None', )),  # its backbone pre-training is not shipped
    Family('attention_kd_ssd', 'configs/attention_kd/ssd300_vgg16-1-8_synthetic.py',
           deploy_size='300x300'),
    Family('effnet_gfl', 'configs/effnet_gfl/effnet-gfl_row4-dense_lite1-416-silu-gflv2-amp_'
           'synthetic.py', amp=False, deploy_size='416x416'),  # its own MixedPrecisionOptimWrapper
)
KD_TEACHER = Family('kd_teacher_w32', 'configs/mobile_centernet/mcn_hrnet-w32_teacher_synthetic.py',
                    ('model.backbone.init_cfg=None', ))
KD = Family('kd_structured', 'configs/mobile_centernet/'
            'kd_mcn_hrnet-w32-teacher_hrnet-w16-student_cbfl_synthetic.py')
IMAGE = 'data/synthetic/images/val/000001.jpg'


def train_cmd(fam: Family, work_dir: str, extra: Tuple[str, ...] = ()) -> List[str]:
    return ([PY, 'tools/train.py', fam.config, '--work-dir', work_dir]
            + (['--amp'] if fam.amp else []) + ['--cfg-options', *TINY, *fam.options, *extra])


def plan(root: str) -> List[Tuple[str, str, List[str]]]:
    """``(row, step, command)`` for every check, in order."""
    steps = []
    for fam in FAMILIES:
        wd = osp.join(root, fam.name)
        ckpt = osp.join(wd, 'epoch_1.pth')
        steps += [(fam.name, 'train (2 it, AMP)', train_cmd(fam, wd)),
                  (fam.name, 'tools/test.py', [PY, 'tools/test.py', fam.config, ckpt,
                                               '--work-dir', wd, '--cfg-options', *TINY]),
                  (fam.name, 'deploy.py --device cuda:0',
                   [PY, 'tools/deploy.py', DEPLOY.format(fam.deploy_size), fam.config, ckpt,
                    IMAGE, '--work-dir', osp.join(wd, 'deploy'), '--device', 'cuda:0'])]
    teacher = osp.join(root, KD_TEACHER.name, 'epoch_1.pth')
    wd = osp.join(root, KD.name)
    steps += [(KD.name, 'train teacher (2 it, AMP)',
               train_cmd(KD_TEACHER, osp.join(root, KD_TEACHER.name))),
              (KD.name, 'train student (2 it, AMP)',
               train_cmd(KD, wd, (f'model.teacher.checkpoint={teacher}', ))),
              # a distillation checkpoint loads into the plain student config
              (KD.name, 'tools/test.py (student config)',
               # (its own work dir: the KD run's belongs to the KD config)
              [PY, 'tools/test.py', FAMILIES[0].config, osp.join(wd, 'epoch_1.pth'),
                '--work-dir', osp.join(wd, 'test_student'), '--cfg-options', *TINY])]
    return steps


def run_step(cmd: List[str], log: str) -> Tuple[bool, float, str]:
    """Run ``cmd`` with its output in ``log``; (passed, seconds, last line of output)."""
    start = time.time()
    with open(log, 'w') as f:
        rc = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT).returncode
    with open(log, errors='replace') as f:
        lines = [line.strip() for line in f if line.strip()]
    return rc == 0, time.time() - start, (lines[-1] if lines else '')[:100]


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--work-dir', default='work_dirs/check_gpu')
    parser.add_argument('--dry-run', action='store_true', help='print the commands only')
    args = parser.parse_args(argv)
    steps = plan(args.work_dir)
    if args.dry_run:
        for row, step, cmd in steps:
            print(f'# {row}: {step}\n{" ".join(cmd)}')
        return 0
    import torch
    if not torch.cuda.is_available():
        print('check_gpu: this machine has no CUDA device (torch.cuda.is_available() is False, '
              f'torch {torch.__version__}, built for CUDA {torch.version.cuda}): nothing to '
              'check. Run it on a CUDA machine after `make install-deploy`.')
        return 2
    print(f'check_gpu: {torch.cuda.get_device_name(0)}, torch {torch.__version__}')
    if not osp.isfile(IMAGE):
        subprocess.run([PY, 'tools/make_synthetic.py', '--out', 'data/synthetic'], check=True)
    os.makedirs(args.work_dir, exist_ok=True)
    results: Dict[Tuple[str, str], Tuple[bool, float, str]] = {}
    for i, (row, step, cmd) in enumerate(steps):
        results[row, step] = run_step(cmd, osp.join(args.work_dir, f'{i:02d}_{row}.log'))
        print(f"{'pass' if results[row, step][0] else 'FAIL'} {row}: {step} "
              f'({results[row, step][1]:.0f} s)', flush=True)
    print('\n| family | step | result | s | last output line |\n|---|---|---|---|---|')
    for (row, step), (ok, secs, last) in results.items():
        print(f"| {row} | {step} | {'pass' if ok else 'FAIL'} | {secs:.0f} | {last} |")
    failed = sum(not ok for ok, _, _ in results.values())
    print(f'\n{len(results) - failed} passed, {failed} failed (logs in {args.work_dir})')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
