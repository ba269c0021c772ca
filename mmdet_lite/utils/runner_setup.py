"""Shared set-up of tools/train.py and tools/test.py: config loading and CPU distributed fixes."""

import glob
import logging
import os
import os.path as osp
import re
from argparse import ArgumentParser, Namespace
from typing import List, Optional

import torch
import torch.distributed as dist
from mmengine.config import Config, DictAction
from mmengine.logging import print_log

from ..datasets.errors import DatasetError
from .config_checks import check_num_classes
from .safe_checkpoint import CorruptCheckpointError, safe_torch_load


def add_common_args(parser: ArgumentParser) -> None:
    """The arguments tools/train.py and tools/test.py share (mmdet's names)."""
    parser.add_argument('--work-dir', help='the dir to save logs, models and metrics')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config settings, key=value')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none', help='job launcher')
    # torch.distributed.launch passes --local-rank; torchrun sets LOCAL_RANK
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    parser.add_argument('--force', action='store_true',
                        help="use a work dir that another config's run created")


def parse_common_args(parser: ArgumentParser) -> Namespace:
    """Parse, and export ``LOCAL_RANK`` when only ``--local-rank`` gave it."""
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def load_config(args: Namespace) -> Config:
    """Load ``args.config`` with ``--cfg-options``, ``--work-dir`` and ``--launcher`` applied."""
    if not osp.isfile(args.config):
        raise FileNotFoundError(f"Config '{args.config}' not found. Give a path, e.g. "
                                'configs/mobile_centernet/mcn_hrnet-w16_cbfl_synthetic.py.')
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    if args.launcher != 'none' and not torch.cuda.is_available():
        setup_cpu_distributed(cfg)
    try:
        check_num_classes(cfg)
    except DatasetError as err:
        raise SystemExit(f'{args.config}: {err}') from err
    return cfg


def prepare_work_dir(cfg: Config, force: bool) -> None:
    """:func:`~mmdet_lite.utils.work_dir.check_work_dir`, exiting with its one-line message."""
    from .work_dir import WorkDirError, check_work_dir
    try:
        check_work_dir(cfg, force)
    except WorkDirError as err:
        raise SystemExit(f'error: {err}') from err


def _how_to_make(ckpt: str) -> str:
    """The fix for a missing backbone file: the synthetic pre-trainings under ``checkpoints/``
    are Makefile file targets of the repository (shipped ones come with the checkout)."""
    path = osp.normpath(ckpt)
    if osp.basename(osp.dirname(path)) != 'checkpoints':
        return 'Check the path.'
    rel = f'checkpoints/{osp.basename(path)}'
    if osp.basename(path).startswith('tf_efficientnet_lite'):
        return (f'These are ImageNet weights converted once from timm\'s: run `make {rel}` in the '
                'repository root (downloads about 20 MB; '
                'tools/model_converters/efficientnet_lite_to_mmdet_lite.py).')
    return (f'A synthetic pre-training is made once in a checkout: run `make {rel}` in the '
            'repository root (see the comment in the config; a shipped one comes with the '
            'checkout: `git checkout -- ' + rel + '`).')


def check_pretrained_weights(cfg: Config) -> None:
    """Refuse to train when a ``Pretrained`` ``init_cfg`` of the model names a local file that
    does not exist (mmengine would stop deep inside weight initialisation), saying how the file
    is made and how to train without it."""

    def walk(node, key):  # noqa: ANN001, ANN202
        if isinstance(node, dict):
            inits = node.get('init_cfg')
            for init in (inits if isinstance(inits, list) else [inits]):
                if isinstance(init, dict) and init.get('type') == 'Pretrained':
                    ckpt = init.get('checkpoint')
                    if isinstance(ckpt, str) and '://' not in ckpt and not osp.isfile(ckpt):
                        raise FileNotFoundError(
                            f'{key}.init_cfg loads pre-trained weights from {ckpt}, which does '
                            f'not exist. {_how_to_make(ckpt)} To train from scratch instead, '
                            f'add --cfg-options {key}.init_cfg=None.')
            for k, v in node.items():
                walk(v, f'{key}.{k}')

    walk(cfg.model, 'model')


def setup_cpu_distributed(cfg: Config) -> None:
    """Make a torchrun launch work without GPUs (measured: docs/compatibility.md).

    mmengine's ``init_dist`` calls ``torch.cuda.set_device`` and the default DDP wrapper passes
    ``device_ids=[local_rank]``; both fail on CPU. Initialising a gloo process group first (the
    Runner then skips ``init_dist``) and wrapping with ``device_ids=None`` avoids both.
    """
    cfg.env_cfg.setdefault('dist_cfg', {})['backend'] = 'gloo'
    wrapper = cfg.get('model_wrapper_cfg') or dict(type='MMDistributedDataParallel')
    wrapper.update(device_ids=None, broadcast_buffers=False)
    cfg.model_wrapper_cfg = wrapper
    if not dist.is_initialized():
        if 'RANK' not in os.environ:
            raise RuntimeError(f'--launcher {cfg.launcher} needs a launcher such as torchrun '
                               '(RANK/WORLD_SIZE unset); use --launcher none for one process.')
        dist.init_process_group(backend='gloo')


def _checkpoints_newest_first(work_dir: str) -> List[str]:
    """mmengine's ``last_checkpoint`` record first, then ``epoch_N.pth`` / ``iter_N.pth`` from
    the highest N down."""
    ordered = []
    record = osp.join(work_dir, 'last_checkpoint')
    if osp.isfile(record):
        with open(record) as f:
            path = f.read().strip()
        if osp.isfile(path):
            ordered.append(path)
    found = []
    for path in glob.glob(osp.join(work_dir, '*.pth')):
        m = re.fullmatch(r'(epoch|iter)_(\d+)\.pth', osp.basename(path))
        if m:
            found.append((int(m.group(2)), osp.getmtime(path), path))
    ordered += [p for _, _, p in sorted(found, reverse=True) if p not in ordered]
    return ordered


def find_latest_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint to resume from: mmengine's ``last_checkpoint`` record, else the newest
    ``epoch_N.pth`` / ``iter_N.pth`` in ``work_dir``.

    mmengine writes ``last_checkpoint`` only after the ``.pth`` file; a run killed between the two
    (or before its first record) would otherwise restart from scratch.
    """
    ordered = _checkpoints_newest_first(work_dir)
    return ordered[0] if ordered else None


def find_resumable_checkpoint(work_dir: str) -> Optional[str]:
    """:func:`find_latest_checkpoint`, passing over checkpoints that do not load.

    A run killed while writing a checkpoint leaves a truncated file; it is reported with a
    warning (not deleted) and the next older checkpoint is used, or None when there is none.
    """
    for path in _checkpoints_newest_first(work_dir):
        try:
            safe_torch_load(path, map_location='cpu')
        except CorruptCheckpointError as err:
            print_log(f'--resume: skipping {err}', logger='current', level=logging.WARNING)
            continue
        return path
    return None


def apply_resume(cfg: Config, resume: Optional[str]) -> None:
    """Set ``cfg.resume`` / ``cfg.load_from`` for ``--resume`` (``'auto'``: the work dir's newest
    loadable checkpoint; a path: that checkpoint; None: nothing).

    With ``--resume`` and no checkpoint in the work dir yet (a cluster job's first start), the
    run starts as the config says: a fine-tuning config keeps its ``load_from`` (e.g. the
    BDD100K checkpoint an ivslab config starts from) instead of silently training from scratch.
    """
    if resume == 'auto':
        found = find_resumable_checkpoint(cfg.work_dir)
        if found is None:
            cfg.resume = False  # else mmengine looks for one itself
            start = (f"load_from={cfg.load_from}" if cfg.get('load_from') else 'scratch')
            print_log(f'--resume: no loadable checkpoint in {cfg.work_dir} yet, starting from '
                      f'{start}', logger='current')
        else:
            cfg.resume, cfg.load_from = True, found
    elif resume is not None:
        check_resume_checkpoint(resume)
        cfg.resume, cfg.load_from = True, resume


def check_resume_checkpoint(path: str) -> None:
    """Exit with the fix when an explicitly given ``--resume PATH`` does not load."""
    try:
        safe_torch_load(path, map_location='cpu')
    except (FileNotFoundError, CorruptCheckpointError) as err:
        raise SystemExit(f'--resume {path}: {err} Or give --resume without a path to take the '
                         'newest loadable checkpoint of the work dir, or start without '
                         '--resume.') from err
