"""Train a detector with mmdet_lite modules (mmdet's tools/train.py interface).

    python tools/train.py CONFIG [--work-dir DIR] [--resume [CKPT]] [--amp] [--cfg-options k=v]
        [--force]

A work dir belongs to the config whose run created it: another config's work dir is refused
(``--force`` shares it). Checkpoints are written to ``FILE.part`` and renamed.
    mim train mmdet_lite CONFIG  (the same script, shipped in the package)
"""

import argparse

from mmengine.runner import Runner

import mmdet_lite  # noqa: F401  (registers modules, weights-only checkpoint loading)
from mmdet_lite.evaluation.metrics import NonFiniteOutputError
from mmdet_lite.utils.runner_setup import (
    add_common_args,
    apply_resume,
    check_pretrained_weights,
    load_config,
    parse_common_args,
    prepare_work_dir,
)
from mmdet_lite.utils.work_dir import WorkDirError


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a detector')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--amp', action='store_true', help='automatic mixed precision (GPU)')
    parser.add_argument('--auto-scale-lr', action='store_true', help='scale lr by batch size')
    parser.add_argument(
        '--resume', nargs='?', type=str, const='auto',
        help='resume from the given checkpoint, or from the latest one in the work dir')
    add_common_args(parser)
    return parse_common_args(parser)


def main() -> None:
    args = parse_args()
    cfg = load_config(args)
    check_pretrained_weights(cfg)
    if args.amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.loss_scale = 'dynamic'
    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True
    prepare_work_dir(cfg, args.force)
    apply_resume(cfg, args.resume)
    runner = Runner.from_cfg(cfg)
    try:
        runner.train()
    except (WorkDirError, NonFiniteOutputError) as err:  # full disk; a diverged model
        raise SystemExit(f'error: {err}') from err


if __name__ == '__main__':
    main()
