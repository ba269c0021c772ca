"""N:M structured sparsity (2:4 by default): masks, eligibility and pattern checks.

2:4 sparsity (Sec. 3, Fig. 4 of the EfficientNet-Lite + GFLv2 paper; NVIDIA's automatic
sparsity) keeps the two largest-magnitude weights of every group of four consecutive *input*
weights of a layer and zeroes the other two, the pattern that Ampere Tensor Cores (and TensorRT's
sparse kernels) accelerate. For a conv weight ``[O, I, kh, kw]`` the groups run along ``I`` at each
``(o, kh, kw)``; for a linear weight ``[O, I]`` along ``I``.
"""

import re
from typing import Dict, Iterator, Sequence, Tuple

import torch
import torch.nn as nn
from torch import Tensor


def _groups_view(weight: Tensor, m: int) -> Tensor:
    """``weight`` as ``[num_groups, m]`` groups of consecutive input weights."""
    if weight.dim() == 4:
        weight = weight.permute(0, 2, 3, 1)  # input channels last
    elif weight.dim() != 2:
        raise ValueError(f'N:M sparsity applies to conv [O, I, kh, kw] and linear [O, I] '
                         f'weights, got shape {tuple(weight.shape)}')
    if weight.shape[-1] % m:
        raise ValueError(f'{weight.shape[-1]} input weights do not split into groups of {m}')
    return weight.reshape(-1, m)


def nm_mask(weight: Tensor, n: int = 2, m: int = 4) -> Tensor:
    """Boolean keep-mask of ``weight``'s shape: the ``m - n`` largest |w| of each group of ``m``."""
    groups = _groups_view(weight.detach().abs(), m)
    keep = torch.zeros_like(groups, dtype=torch.bool)
    keep.scatter_(1, groups.topk(m - n, dim=1).indices, True)
    if weight.dim() == 4:
        o, i, kh, kw = weight.shape
        return keep.reshape(o, kh, kw, i).permute(0, 3, 1, 2).contiguous()
    return keep.reshape(weight.shape)


def nm_pattern_stats(weight: Tensor, n: int = 2, m: int = 4) -> Tuple[float, float]:
    """``(fraction of groups with at least n zeros, fraction of zero weights)``."""
    groups = _groups_view(weight.detach(), m)
    zeros = (groups == 0).sum(dim=1)
    return (zeros >= n).float().mean().item(), (weight == 0).float().mean().item()


def nm_mask_is_valid(mask: Tensor, n: int = 2, m: int = 4) -> bool:
    """Whether a keep-mask keeps exactly ``m - n`` of every group of ``m``."""
    return bool((_groups_view(mask.to(torch.int32), m).sum(dim=1) == m - n).all())


def is_eligible(module: nn.Module, m: int = 4) -> bool:
    """Dense (groups = 1) Conv2d/Linear layers whose input size divides into groups of ``m``."""
    if isinstance(module, nn.Conv2d):
        return module.groups == 1 and module.in_channels % m == 0
    if isinstance(module, nn.Linear):
        return module.in_features % m == 0
    return False


def eligible_layers(model: nn.Module, m: int = 4,
                    exclude: Sequence[str] = ()) -> Iterator[Tuple[str, nn.Module]]:
    """``(name, module)`` of the layers to sparsify; ``exclude`` holds regexes on names."""
    patterns = [re.compile(p) for p in exclude]
    for name, module in model.named_modules():
        if is_eligible(module, m) and not any(p.search(name) for p in patterns):
            yield name, module


def checkpoint_report(state_dict: Dict[str, Tensor], masks: Dict[str, Tensor] = None,
                      n: int = 2, m: int = 4) -> Iterator[dict]:
    """Per-layer 2:4 report of a checkpoint's weights.

    With the masks a :class:`~mmdet_lite.engine.hooks.StructuredSparsityHook` run stores in its
    checkpoints, the layers are exactly the masked ones, and the weights must be zero wherever
    the mask is; without them, every conv/linear weight whose input size divides by ``m``
    (depthwise weights have ``I = 1``) is checked.
    """
    if masks:
        names = sorted(masks)
    else:
        names = sorted(k[:-len('.weight')] for k, v in state_dict.items()
                       if k.endswith('.weight') and v.dim() in (2, 4) and v.shape[1] % m == 0
                       and v.is_floating_point())
    for name in names:
        weight = state_dict.get(f'{name}.weight')
        if weight is None:
            yield dict(name=name, shape=None, groups_ok=0.0, sparsity=0.0, ok=False,
                       problem='weight missing from the state_dict')
            continue
        groups_ok, sparsity = nm_pattern_stats(weight.float(), n, m)
        problem = '' if groups_ok == 1.0 else f'{1 - groups_ok:.1%} of groups have < {n} zeros'
        if masks and not problem and bool((weight[~masks[name].to(torch.bool)] != 0).any()):
            problem = 'nonzero weights where the mask is 0'
        yield dict(name=name, shape=tuple(weight.shape), groups_ok=groups_ok, sparsity=sparsity,
                   ok=not problem, problem=problem)


def onnx_report(path: str, n: int = 2, m: int = 4) -> Iterator[dict]:
    """Per-layer 2:4 report of an ONNX file's dense Conv / Gemm weights (what reaches TensorRT).

    Checks every weight initializer of a ``Conv`` with ``group = 1`` and of a ``Gemm`` whose
    input size divides by ``m``; fp16 files are read as they are stored.
    """
    import onnx
    from onnx import numpy_helper
    model = onnx.load(path)
    inits = {t.name: t for t in model.graph.initializer}
    for node in model.graph.node:
        if node.op_type not in ('Conv', 'Gemm') or len(node.input) < 2 \
                or node.input[1] not in inits:
            continue
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        weight = torch.from_numpy(numpy_helper.to_array(inits[node.input[1]]).copy()).float()
        if node.op_type == 'Gemm' and not attrs.get('transB', 0):
            weight = weight.t()
        if attrs.get('group', 1) != 1 or weight.shape[1] % m:
            continue
        groups_ok, sparsity = nm_pattern_stats(weight, n, m)
        yield dict(name=node.name or node.input[1], shape=tuple(weight.shape), groups_ok=groups_ok,
                   sparsity=sparsity, ok=groups_ok == 1.0,
                   problem='' if groups_ok == 1.0 else
                   f'{1 - groups_ok:.1%} of groups have < {n} zeros')


__all__ = ['nm_mask', 'nm_mask_is_valid', 'nm_pattern_stats', 'is_eligible', 'eligible_layers',
           'checkpoint_report', 'onnx_report']
