"""Checkpoints load weights-only: mmengine's Runner checkpoints pass, anything else is refused."""

import collections
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import load_checkpoint
from mmengine.runner.checkpoint import _load_checkpoint

import mmdet_lite  # noqa: F401  (installs the loaders)
from mmdet_lite.utils import CorruptCheckpointError, UnsafeCheckpointError, safe_torch_load


class Payload:
    """Stands for an arbitrary object a malicious or foreign checkpoint could carry."""

    def __reduce__(self):
        return (print, ('this must never run',))


def test_runner_style_checkpoint_loads_weights_only(tmp_path):
    buf = HistoryBuffer()
    buf.update(np.float64(1.5))
    buf.update(2.0)
    ckpt = dict(
        meta=dict(epoch=3, iter=30, seed=np.int64(7), mmdet_version='3.3.0'),
        state_dict=collections.OrderedDict(w=torch.ones(2, 2)),
        message_hub=dict(log_scalars={'train/loss': buf}, runtime_info=dict(
            epoch=3, arr=np.arange(3, dtype=np.float32))),
        optimizer=dict(state={}, param_groups=[dict(lr=1e-3)]))
    path = str(tmp_path / 'epoch_3.pth')
    torch.save(ckpt, path)
    loaded = _load_checkpoint(path, map_location='cpu')
    assert loaded['meta']['epoch'] == 3
    assert isinstance(loaded['message_hub']['log_scalars']['train/loss'], HistoryBuffer)
    model = torch.nn.Module()
    model.w = torch.nn.Parameter(torch.zeros(2, 2))
    load_checkpoint(model, path, strict=True)
    assert model.w.sum() == 4


def test_foreign_objects_are_refused_with_a_clear_message(tmp_path, capsys):
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(state_dict={}, extra=Payload()), path)
    with pytest.raises(UnsafeCheckpointError,
                       match=r"Refusing to unpickle checkpoint .*evil.pth.*GLOBAL print"):
        _load_checkpoint(path, map_location='cpu')
    assert 'this must never run' not in capsys.readouterr().out


class AttributeGrab:
    """Pickles as getattr(ndarray, 'tofile'): a generic getattr would hand it a file writer."""

    def __reduce__(self):
        return (getattr, (np.ndarray, 'tofile'))


def test_getattr_only_serves_history_buffer(tmp_path):
    path = str(tmp_path / 'grab.pth')
    torch.save(dict(state_dict={}, x=AttributeGrab()), path)
    with pytest.raises(UnsafeCheckpointError, match='grab.pth'):
        _load_checkpoint(path, map_location='cpu')


def test_missing_and_corrupt_checkpoints(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        safe_torch_load(str(tmp_path / 'nope.pth'))
    bad = tmp_path / 'bad.pth'
    bad.write_bytes(b'not a checkpoint at all')
    with pytest.raises(CorruptCheckpointError, match=r'bad.pth.*truncated, corrupt.*delete it'):
        safe_torch_load(str(bad))
    # a checkpoint cut short, as by a kill while it was written
    good = tmp_path / 'good.pth'
    torch.save(dict(state_dict=dict(w=torch.zeros(64, 64))), good)
    cut = tmp_path / 'cut.pth'
    cut.write_bytes(good.read_bytes()[:5000])
    with pytest.raises(CorruptCheckpointError, match='cut.pth'):
        safe_torch_load(str(cut))
    assert not osp.exists(tmp_path / 'nope.pth')


def test_history_buffer_checkpoint_loads_in_a_fresh_process(tmp_path):
    """HistoryBuffer registers its statistics methods only when one is created: a process that
    loads a checkpoint before creating any (tools/test.py, a teacher) must still succeed."""
    import subprocess
    import sys
    buf = HistoryBuffer()
    buf.update(1.0)
    path = str(tmp_path / 'hb.pth')
    torch.save(dict(message_hub=dict(log_scalars={'loss': buf})), path)
    code = ('import mmdet_lite; from mmengine.runner.checkpoint import _load_checkpoint; '
            f'print(type(_load_checkpoint({path!r})["message_hub"]["log_scalars"]["loss"]))')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert 'HistoryBuffer' in out.stdout, out.stderr[-2000:]


def test_refusal_names_the_blocked_object_whatever_the_case():
    """torch words the refused global differently across releases; the line naming it is kept,
    not the generic last line of its message."""
    from mmdet_lite.utils.safe_checkpoint import _reason
    for line in ('WeightsUnpickler error: Unsupported global: GLOBAL evil.Payload was not allowed',
                 'Trying to load unsupported GLOBAL evil.Payload whose module evil is blocked'):
        err = RuntimeError(f'Weights only load failed.\n{line}\nCheck the documentation of '
                           'torch.load to learn more.')
        assert _reason(err) == line
