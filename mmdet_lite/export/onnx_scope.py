"""Run a function of a module through the module's own call, so that ONNX export scopes it."""

from typing import Any, Callable

import torch.nn as nn


def call_in_scope(module: nn.Module, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` run as ``module``'s forward for one call.

    The TorchScript-based ONNX exporter names a node after the chain of modules *called* on the
    way to it (``/bbox_head/cls_convs.0/conv/Conv``); a method called directly
    (``head.forward_single_parts(x)``) adds no scope, and its nodes land at the root. The int8
    quantizer selects the network's nodes by scope (``quantize.NETWORK_SCOPES``), so an unscoped
    head would silently stay float. The instance's ``forward`` is restored afterwards.
    """
    if 'forward' in vars(module):
        raise RuntimeError(f'{type(module).__name__} already has an instance-level forward')
    module.forward = fn
    try:
        return module(*args)
    finally:
        del module.forward


__all__ = ['call_in_scope']
