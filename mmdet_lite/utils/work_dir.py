"""A work dir belongs to one config; checkpoints are written whole or not at all."""

import functools
import glob
import os
import os.path as osp
from typing import Callable, List

from mmengine.config import Config

MARKER_TEST = '.mmdet_lite_write_test'


class WorkDirError(OSError):
    """A work dir that cannot be used; the message names the path and the fix."""


def saved_configs(work_dir: str) -> List[str]:
    """Basenames of the configs mmengine's Runner dumped into ``work_dir`` (one per config run
    there: ``<work_dir>/<config basename>``)."""
    return sorted(osp.basename(p) for p in glob.glob(osp.join(work_dir, '*.py')))


def check_writable(work_dir: str) -> None:
    """Create ``work_dir`` and write a byte into it, or raise :class:`WorkDirError`. The probe
    file is this process's own (every rank of a distributed run checks at once)."""
    import tempfile
    try:
        os.makedirs(work_dir, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=MARKER_TEST, dir=work_dir)
        with os.fdopen(fd, 'wb') as f:
            f.write(b'0')
        os.remove(probe)
    except OSError as err:
        raise WorkDirError(f'work dir {work_dir} is not writable ({err.strerror}): pass '
                           '--work-dir with a writable folder that has free space.') from err


def check_work_dir(cfg: Config, force: bool = False) -> None:
    """Refuse to resume or write into a work dir that another config's run created (its dumped
    config has another name): mmengine would resume that run's checkpoint or overwrite its
    ``epoch_N.pth`` with another model's. ``force`` allows it (the dumped configs are kept)."""
    work_dir = cfg.work_dir
    check_writable(work_dir)
    ours = osp.basename(cfg.filename) if cfg.filename else None
    others = [name for name in saved_configs(work_dir) if name != ours]
    if ours is None or not others or force:
        return
    checkpoints = sorted(osp.basename(p) for p in glob.glob(osp.join(work_dir, '*.pth')))
    raise WorkDirError(
        f'work dir {work_dir} holds a run of {others[0]}'
        + (f' (checkpoints {", ".join(checkpoints[:3])})' if checkpoints else '')
        + f', not of {ours}: resuming there would load that model, and its epoch_N.pth would be '
        'overwritten by this one. Pass --work-dir with a new folder (or --force to share it '
        'anyway).')


def atomic(save: Callable) -> Callable:
    """``save(checkpoint, filename, ...)`` that writes ``filename + '.part'`` and renames it,
    so a full disk or a kill never leaves a truncated ``epoch_N.pth`` behind; a failed write
    removes the partial file and raises :class:`WorkDirError` naming the path."""
    if getattr(save, '_mmdet_lite_atomic', False):
        return save

    @functools.wraps(save)
    def atomic_save(checkpoint, filename, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if '://' in str(filename):
            return save(checkpoint, filename, *args, **kwargs)
        part = f'{filename}.part'
        try:
            save(checkpoint, part, *args, **kwargs)
            os.replace(part, filename)
        except OSError as err:
            if osp.exists(part):
                os.remove(part)
            raise WorkDirError(f'could not write checkpoint {filename} ({err.strerror or err}): '
                               'free space in the work dir, or pass --work-dir on another '
                               'disk; the earlier checkpoints are intact.') from err

    atomic_save._mmdet_lite_atomic = True
    return atomic_save


__all__ = ['WorkDirError', 'atomic', 'check_work_dir', 'check_writable', 'saved_configs']
