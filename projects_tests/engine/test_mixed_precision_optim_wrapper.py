"""MixedPrecisionOptimWrapper on CPU: bf16 autocast, no loss scaler, GPU state dicts load."""

import torch
import torch.nn as nn
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

import mmdet_lite  # noqa: F401
from mmdet_lite.engine.optimizers import MixedPrecisionOptimWrapper


def test_cpu_bf16_autocast_and_step():
    init_default_scope('mmdet')
    model = nn.Linear(8, 2)
    wrapper = build_optim_wrapper(model, dict(type='MixedPrecisionOptimWrapper',
                                              optimizer=dict(type='SGD', lr=0.1)))
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


def test_cpu_fp32_when_bf16_off():
    init_default_scope('mmdet')
    model = nn.Linear(8, 2)
    wrapper = build_optim_wrapper(model, dict(type='MixedPrecisionOptimWrapper', cpu_bf16=False,
                                              optimizer=dict(type='SGD', lr=0.1)))
    with wrapper.optim_context(model):
        assert model(torch.randn(4, 8)).dtype == torch.float32
