"""MixedPrecisionOptimWrapper on CPU: bf16 only where the CPU has it natively (else fp32, said in
one log line), no loss scaler, GPU state dicts load."""

import logging

import pytest
import torch
import torch.nn as nn
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

import mmdet_lite  # noqa: F401
from mmdet_lite.engine.optimizers import MixedPrecisionOptimWrapper
from mmdet_lite.engine.optimizers import mixed_precision_optim_wrapper as mpow


def build(monkeypatch, native: bool, **kwargs):
    init_default_scope('mmdet')
    why = 'the CPU has native bf16 (avx512_bf16)' if native else 'the CPU has no bf16 flag'
    monkeypatch.setattr(mpow, 'native_bf16', lambda: (native, why))
    model = nn.Linear(8, 2)
    wrapper = build_optim_wrapper(model, dict(type='MixedPrecisionOptimWrapper',
                                              optimizer=dict(type='SGD', lr=0.1), **kwargs))
    return model, wrapper


def autocast_dtype(model, wrapper):
    with wrapper.optim_context(model):
        return model(torch.randn(4, 8)).dtype


def test_native_bf16_cpu_autocasts_and_steps(monkeypatch):
    model, wrapper = build(monkeypatch, native=True)
    assert isinstance(wrapper, MixedPrecisionOptimWrapper) and wrapper.on_cpu
    with wrapper.optim_context(model):
        out = model(torch.randn(4, 8))
    assert out.dtype == torch.bfloat16
    before = model.weight.detach().clone()
    wrapper.update_params(out.float().pow(2).mean())
    assert not torch.equal(before, model.weight)
    state = wrapper.state_dict()
    assert 'loss_scaler' not in state
    state['loss_scaler'] = {'scale': 65536.0}  # as written by a GPU run
    wrapper.load_state_dict(state)


def test_cpu_without_bf16_trains_fp32_and_says_why(monkeypatch):
    logged = []
    monkeypatch.setattr(mpow, 'print_log', lambda msg, logger=None, level=logging.INFO:
                        logged.append((msg, level)))
    model, wrapper = build(monkeypatch, native=False)
    assert autocast_dtype(model, wrapper) == torch.float32
    assert len(logged) == 1 and logged[0][1] == logging.WARNING, logged
    assert 'no bf16 flag' in logged[0][0] and 'training in fp32' in logged[0][0]


@pytest.mark.parametrize('cpu_bf16,native,expect', [
    (True, False, torch.bfloat16),   # forced: bf16 even where emulated
    (False, True, torch.float32),    # off: fp32 even where native
])
def test_explicit_choice_wins(monkeypatch, cpu_bf16, native, expect):
    model, wrapper = build(monkeypatch, native=native, cpu_bf16=cpu_bf16)
    assert autocast_dtype(model, wrapper) == expect


def test_bad_choice_is_named(monkeypatch):
    with pytest.raises(ValueError, match="cpu_bf16 must be 'auto', True or False"):
        build(monkeypatch, native=True, cpu_bf16='yes')
