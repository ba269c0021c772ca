"""Weights-only checkpoint loading for mmengine checkpoints under torch >= 2.6.

mmengine 0.10.7 calls ``torch.load`` without ``weights_only``; torch 2.13 defaults to
``weights_only=True`` and then refuses the few non-tensor objects mmengine's Runner writes (its
message hub's ``HistoryBuffer`` with numpy arrays). Instead of switching safety off, those exact
classes are allow-listed, and mmengine's local/http checkpoint loaders are replaced by ones that
load weights-only and explain a refusal.
"""

import os
import os.path as osp
import pickle
import zipfile
from typing import Any, Optional

import numpy as np
import torch
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader


class CheckpointError(RuntimeError):
    """A checkpoint file cannot be loaded; the message names the file and the fix."""


class UnsafeCheckpointError(CheckpointError):
    """The checkpoint holds objects outside the weights-only allow-list."""


class CorruptCheckpointError(CheckpointError):
    """The checkpoint file is truncated, corrupt or not a torch checkpoint."""


def _history_buffer_getattr(obj: Any, name: str) -> Any:
    """Stand-in for ``builtins.getattr`` inside checkpoints.

    mmengine's HistoryBuffer pickles its statistics methods as ``getattr(HistoryBuffer, 'mean')``.
    A plain allow-listed ``getattr`` would let a checkpoint reach any attribute of any allowed
    object (e.g. ``ndarray.tofile``), so only those lookups are answered.
    """
    # the class-level registry fills only once a HistoryBuffer exists in this process
    allowed = {'min', 'max', 'current', 'mean', *HistoryBuffer._statistics_methods}
    if obj is HistoryBuffer and name in allowed:
        return getattr(obj, name)
    raise pickle.UnpicklingError(
        f'getattr({getattr(obj, "__name__", type(obj).__name__)}, {name!r}) is not allowed')


def mmengine_safe_globals() -> list:
    """What an mmengine Runner checkpoint needs beyond tensors (docs/compatibility.md)."""
    multiarray = np._core.multiarray  # numpy >= 2 pickles arrays through numpy._core
    # numpy >= 2 pickles a dtype through its class (numpy.dtypes.Float64DType, ...)
    dtype_classes = [type(np.dtype(t)) for t in (
        np.bool_, np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64,
        np.uint64, np.float16, np.float32, np.float64)]
    return [HistoryBuffer, multiarray._reconstruct, multiarray.scalar, np.ndarray, np.dtype,
            *dtype_classes, (_history_buffer_getattr, 'builtins.getattr')]


def register_safe_globals() -> None:
    """Allow-list :func:`mmengine_safe_globals` for ``torch.load(weights_only=True)``."""
    torch.serialization.add_safe_globals(mmengine_safe_globals())


_GLOBAL_WORDS = ('unsupported global', 'not allowed', 'can only build')


def _names_a_global(line: str) -> bool:
    # torch's wording and case vary across releases ("Unsupported global", "unsupported
    # GLOBAL" in 2.13)
    return any(k in line.lower() for k in _GLOBAL_WORDS)


def _reason(err: Exception) -> str:
    """The line of torch's long weights-only message that names the refused object."""
    lines = [ln.strip() for ln in str(err).splitlines() if ln.strip()]
    for ln in lines:
        if _names_a_global(ln):
            return ln
    for ln in lines:  # e.g. "Unsupported operand 110" for bytes that are no pickle at all
        if ln.lower().startswith('unsupported'):
            return ln
    return lines[-1] if lines else repr(err)


def safe_torch_load(filename: str, map_location: Optional[Any] = None) -> Any:
    """``torch.load(..., weights_only=True)`` with a clear error for refused checkpoints."""
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f"Checkpoint '{filename}' not found. Check the path (e.g. "
                                'teacher.checkpoint, load_from or --resume).')
    try:
        return torch.load(filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        reason = _reason(err)
        if not _names_a_global(reason) and not zipfile.is_zipfile(filename):
            # torch's weights-only unpickler says UnpicklingError for garbage bytes as well
            raise CorruptCheckpointError(_corrupt_message(filename, reason)) from err
        raise UnsafeCheckpointError(
            f"Refusing to unpickle checkpoint '{filename}': it holds objects outside the "
            'weights-only allow-list of mmdet_lite (tensors, numbers, strings, containers and '
            "mmengine's HistoryBuffer/numpy arrays). Re-save only its 'state_dict' (and "
            "'meta') from a trusted environment. Loader said: " + reason) from err
    except (RuntimeError, EOFError, OSError, ValueError) as err:
        raise CorruptCheckpointError(_corrupt_message(filename, str(err))) from err


def _corrupt_message(filename: str, detail: str) -> str:
    return (f"Checkpoint '{filename}' is truncated, corrupt or not a torch checkpoint ({detail}). "
            'If a run was killed while writing it, delete it (training resumes from the '
            'previous checkpoint, or starts anew); otherwise copy or download it again.')


def _load_from_local(filename: str, map_location: Optional[Any] = None) -> Any:
    return safe_torch_load(filename, map_location)


def _load_from_http(filename: str, map_location: Optional[Any] = None,
                    model_dir: Optional[str] = None, progress: bool = False) -> Any:
    from torch.hub import download_url_to_file, get_dir
    model_dir = model_dir or osp.join(get_dir(), 'checkpoints')
    os.makedirs(model_dir, exist_ok=True)
    cached = osp.join(model_dir, osp.basename(filename.split('?')[0]))
    if not osp.isfile(cached):
        download_url_to_file(filename, cached, progress=progress)
    return safe_torch_load(cached, map_location)


def install_safe_checkpoint_loaders() -> None:
    """Register the allow-list and the weights-only loaders into mmengine's CheckpointLoader."""
    register_safe_globals()
    CheckpointLoader.register_scheme(prefixes='', loader=_load_from_local, force=True)
    CheckpointLoader.register_scheme(prefixes=('http://', 'https://'), loader=_load_from_http,
                                     force=True)
