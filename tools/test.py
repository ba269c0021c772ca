"""Evaluate a checkpoint (mmdet's tools/test.py interface; COCO metric with per-class AP).

    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--out results.pkl] [--show-dir DIR]
        [--allow-partial]
    mim test mmdet_lite CONFIG --checkpoint CHECKPOINT

The checkpoint must fit the config's model (strict load) and, when it records them, be trained on
the config's classes; ``--allow-partial`` loads only the matching weights, as mmdet does.
"""

import argparse
import os.path as osp

from mmengine.model import is_model_wrapper
from mmengine.runner import Runner
from mmengine.runner.checkpoint import _load_checkpoint

import mmdet_lite  # noqa: F401
from mmdet_lite.evaluation.metrics import NonFiniteOutputError
from mmdet_lite.utils.checkpoint_fit import (
    CheckpointMismatchError,
    check_checkpoint_fits,
    config_classes,
)
from mmdet_lite.utils.output_paths import refuse_overwriting_input
from mmdet_lite.utils.runner_setup import (
    add_common_args,
    load_config,
    parse_common_args,
    prepare_work_dir,
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test (and evaluate) a detector')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', help='dump predictions to a pickle file (.pkl)')
    parser.add_argument('--show-dir', help='save images with predictions drawn, under the work dir')
    parser.add_argument('--allow-partial', action='store_true',
                        help='load a checkpoint that does not fit the config (partial load)')
    add_common_args(parser)
    return parse_common_args(parser)


def main() -> None:
    args = parse_args()
    cfg = load_config(args)
    if not osp.isfile(args.checkpoint):
        raise SystemExit(f"Checkpoint '{args.checkpoint}' not found.")
    cfg.load_from = args.checkpoint
    prepare_work_dir(cfg, args.force)
    if args.show_dir:
        vis = cfg.default_hooks.visualization
        vis.draw = True
        vis.test_out_dir = args.show_dir
    runner = Runner.from_cfg(cfg)
    if not args.allow_partial:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        try:
            check_checkpoint_fits(model, _load_checkpoint(args.checkpoint, map_location='cpu'),
                                  args.checkpoint, args.config,
                                  classes=config_classes(cfg, ('test_dataloader',)))
        except CheckpointMismatchError as err:
            raise SystemExit(f'error: {err}') from err
    if args.out is not None:
        if not args.out.endswith(('.pkl', '.pickle')):
            raise SystemExit('--out must be a .pkl file')
        refuse_overwriting_input(args.out, args.config, args.checkpoint)
        from mmdet.evaluation import DumpDetResults
        runner.test_evaluator.metrics.append(DumpDetResults(out_file_path=args.out))
    try:
        runner.test()
    except NonFiniteOutputError as err:
        raise SystemExit(f'error: {err}') from err


if __name__ == '__main__':
    main()
