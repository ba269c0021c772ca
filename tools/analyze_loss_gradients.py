"""Gradient norm of every loss term on every part of a model, and its cosine with the detection
gradient: the balance of detection and distillation losses, measured instead of guessed.

    python tools/analyze_loss_gradients.py CONFIG [--checkpoint CKPT] [--batches 4]
        [--cfg-options k=v ...]

The model is built from CONFIG as ``tools/train.py`` would (a distiller with its teacher; the
``before_train`` hooks run, so e.g. ``class_weights='auto'`` is resolved); ``--checkpoint``
loads student weights (a plain student's or a KD run's checkpoint), else the initial weights are
analysed. Batches come from the config's train dataloader, augmentation included.
"""

import argparse
import itertools
import os.path as osp
import tempfile

import torch
from mmengine.config import Config, DictAction
from mmengine.runner import Runner

import mmdet_lite  # noqa: F401  (registers modules, weights-only checkpoint loading)
from mmdet_lite.benchmark.loss_gradients import (
    DEFAULT_KD_PATTERN,
    format_loss_gradient_table,
    loss_gradient_stats,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--checkpoint', help='student weights to analyse (default: initial)')
    parser.add_argument('--batches', type=int, default=4, help='training batches to average')
    parser.add_argument('--kd-pattern', default=DEFAULT_KD_PATTERN,
                        help='regex of the loss names that are distillation terms')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args()
    if not osp.isfile(args.config):
        parser.error(f"config '{args.config}' not found")
    if args.checkpoint and not osp.isfile(args.checkpoint):
        parser.error(f"checkpoint '{args.checkpoint}' not found")
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    cfg.load_from = None
    cfg.resume = False
    cfg.randomness = dict(seed=args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        cfg.work_dir = tmp
        cfg.visualizer = dict(type='DetLocalVisualizer', vis_backends=[])
        cfg.log_level = 'WARNING'
        runner = Runner.from_cfg(cfg)
        runner._init_model_weights()
        if args.checkpoint:
            runner.load_checkpoint(args.checkpoint, map_location='cpu', strict=True)
        runner.train_loop  # noqa: B018  (builds the train dataloader the hooks read)
        runner.call_hook('before_train')
        batches = itertools.islice(runner.train_dataloader, args.batches)
        torch.set_grad_enabled(True)
        stats = loss_gradient_stats(runner.model, batches, args.kd_pattern)
    print(f'{args.config}' + (f' + {args.checkpoint}' if args.checkpoint else ' (initial weights)')
          + f', mean of {args.batches} training batches')
    print(format_loss_gradient_table(stats))


if __name__ == '__main__':
    main()
