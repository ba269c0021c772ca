"""Refuse a checkpoint that does not fit the model it is loaded into.

mmengine and mmdet's ``DetInferencer`` load evaluation/inference weights non-strictly: a
checkpoint of another architecture or class count loads with a few hundred "size mismatch"
warnings and then evaluates a mostly random model with exit code 0. These helpers compare the
checkpoint with the model first and raise with the first mismatching keys and the likely cause.
"""

import re
from typing import Dict, List, Optional, Sequence, Tuple

import torch.nn as nn


class CheckpointMismatchError(RuntimeError):
    """A checkpoint's weights or classes do not fit the model built from the config."""


def _state_dict(checkpoint: dict) -> dict:
    sd = checkpoint.get('state_dict', checkpoint) if isinstance(checkpoint, dict) else None
    if not isinstance(sd, dict):
        raise CheckpointMismatchError('The checkpoint holds no state_dict.')
    return {re.sub(r'^module\.', '', k): v for k, v in sd.items()}


def checkpoint_mismatch(model: nn.Module, checkpoint: dict) -> Dict[str, list]:
    """Keys of ``model`` absent from the checkpoint (``missing``), keys of the checkpoint the
    model lacks (``unexpected``) and ``(key, checkpoint shape, model shape)`` that differ
    (``shape``), in the model's order."""
    ckpt = _state_dict(checkpoint)
    own = model.state_dict()
    missing = [k for k in own if k not in ckpt]
    unexpected = [k for k in ckpt if k not in own]
    shape = [(k, tuple(ckpt[k].shape), tuple(v.shape)) for k, v in own.items()
             if k in ckpt and hasattr(ckpt[k], 'shape') and tuple(ckpt[k].shape) != tuple(v.shape)]
    return dict(missing=missing, unexpected=unexpected, shape=shape)


def checkpoint_classes(checkpoint: dict) -> Optional[Tuple[str, ...]]:
    """The class names a checkpoint was trained on (mmengine writes them in its meta)."""
    meta = checkpoint.get('meta') if isinstance(checkpoint, dict) else None
    classes = ((meta or {}).get('dataset_meta') or {}).get('classes')
    return tuple(classes) if classes is not None else None


def config_classes(cfg: object,
                   loaders: Sequence[str] = ('test_dataloader', 'val_dataloader',
                                             'train_dataloader')) -> Optional[Tuple[str, ...]]:
    """The class names the first of ``loaders`` whose dataset names them, if any."""
    for loader in loaders:
        try:
            return tuple(cfg[loader]['dataset']['metainfo']['classes'])
        except (KeyError, TypeError, AttributeError):
            continue
    return None


def describe_mismatch(diff: Dict[str, list], first: int = 3) -> str:
    """One line per kind of mismatch, with the first ``first`` keys of each."""
    parts = []
    if diff['shape']:
        shown = ', '.join(f'{k} (checkpoint {list(c)}, model {list(m)})'
                          for k, c, m in diff['shape'][:first])
        parts.append(f"{len(diff['shape'])} of other shape, e.g. {shown}")
    if diff['missing']:
        parts.append(f"{len(diff['missing'])} missing from the checkpoint, e.g. "
                     f"{diff['missing'][:first]}")
    if diff['unexpected']:
        parts.append(f"{len(diff['unexpected'])} not in the model, e.g. "
                     f"{diff['unexpected'][:first]}")
    return '; '.join(parts)


def check_checkpoint_fits(model: nn.Module, checkpoint: dict, checkpoint_path: str,
                          config_path: str = 'the config',
                          classes: Optional[Sequence[str]] = None,
                          opt_out: Optional[str] = '--allow-partial') -> None:
    """Raise :class:`CheckpointMismatchError` unless ``checkpoint`` loads strictly into
    ``model`` and (when both are known) was trained on ``classes``, in that order.
    ``opt_out``: the caller's option that loads anyway, named in the message (None: none)."""
    anyway = f' ({opt_out} to load anyway)' if opt_out else ''
    trained = checkpoint_classes(checkpoint)
    if classes is not None and trained is not None and tuple(classes) != trained:
        raise CheckpointMismatchError(
            f"Checkpoint '{checkpoint_path}' was trained on classes {list(trained)}, but "
            f'{config_path} evaluates {list(classes)}; labels would be scored as the wrong '
            f'classes. Use the config the checkpoint was trained with{anyway}.')
    diff = checkpoint_mismatch(model, checkpoint)
    if any(diff.values()):
        raise CheckpointMismatchError(
            f"Checkpoint '{checkpoint_path}' does not fit the model of {config_path}: "
            f'{describe_mismatch(diff)}. Likely the wrong config for this checkpoint (its work '
            'dir holds the config it was trained with); a distillation run\'s checkpoint is the '
            'student\'s, so use the student or KD config.'
            + (f' {opt_out} loads the matching weights only, for a deliberate partial load.'
               if opt_out else ''))


__all__: List[str] = ['CheckpointMismatchError', 'check_checkpoint_fits', 'checkpoint_classes',
                      'checkpoint_mismatch', 'config_classes',
                      'describe_mismatch']
