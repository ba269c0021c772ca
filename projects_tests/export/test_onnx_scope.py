"""call_in_scope: a function run as a module's forward for one call, then the class's back."""

import pytest
import torch
import torch.nn as nn

from mmdet_lite.export.onnx_scope import call_in_scope


def test_runs_once_in_the_module_call_and_restores_forward():
    lin = nn.Linear(2, 2)
    seen = []
    lin.register_forward_hook(lambda m, i, o: seen.append(o))  # proof it went through __call__
    x = torch.ones(1, 2)
    out = call_in_scope(lin, lambda t: lin.weight.sum() * t, x)
    assert torch.equal(out, lin.weight.sum() * x) and len(seen) == 1
    assert 'forward' not in vars(lin)
    assert torch.equal(lin(x), nn.functional.linear(x, lin.weight, lin.bias))
    with pytest.raises(ZeroDivisionError):
        call_in_scope(lin, lambda t: 1 / 0, x)
    assert 'forward' not in vars(lin)  # restored after an error too
    lin.forward = lin.forward
    with pytest.raises(RuntimeError, match='already has an instance-level forward'):
        call_in_scope(lin, lambda t: t, x)
