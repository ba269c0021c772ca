"""How each head family exports: the one table the own exporter, the end-to-end wrappers and the
mmdeploy rewriters ask. A new head of a known family is found through its base class (e.g.
``GFLv2LDHead`` -> ``GFLv2Head`` -> ``GFLHead``); a new family is one entry in ``FAMILIES``."""

import importlib
from typing import Dict, NamedTuple, Tuple

import torch.nn as nn
from mmdet.models.dense_heads import CenterNetHead, GFLHead, SSDHead

from mmdet_lite.models.dense_heads import RefineDetLiteHead


class ExportError(RuntimeError):
    """The config, checkpoint or shape given to the exporter cannot be used; says what to do."""


class HeadFamily(NamedTuple):
    """What the exporters need to know of a head family.

    Attributes:
        name: ``'centernet'``, ``'ssd'``, ``'refinedet'`` (ODM boxes decoded on the ARM-refined
            anchors, one top-k over the image) or ``'gfl'`` (sigmoid scores, edge distributions).
        wrapper: the end-to-end module of :mod:`mmdet_lite.export` that wraps such a detector.
        any_input_size: anchors are laid on whatever maps the input gives (SSD300 is 300x300),
            so the input sides need not divide the backbone's stride.
    """

    name: str
    wrapper: str
    any_input_size: bool = False


FAMILIES: Dict[type, HeadFamily] = {
    CenterNetHead: HeadFamily('centernet', 'CenterNetEnd2End'),  # and CenterNetHRNetHead
    SSDHead: HeadFamily('ssd', 'AnchorEnd2End', any_input_size=True),
    RefineDetLiteHead: HeadFamily('refinedet', 'AnchorEnd2End', any_input_size=True),
    GFLHead: HeadFamily('gfl', 'AnchorEnd2End'),  # and GFLv2Head, GFLv2LDHead, LDHead
}


def head_family(head: nn.Module) -> HeadFamily:
    """The family of ``head`` (its class or its nearest registered base class)."""
    for cls in type(head).__mro__:
        if cls in FAMILIES:
            return FAMILIES[cls]
    raise ExportError(f'No end-to-end ONNX export for heads of type {type(head).__name__} yet '
                      f'(supported: {", ".join(c.__name__ for c in FAMILIES)} and their '
                      'subclasses; mmdet_lite/export/head_family.py lists them).')


def model_stride(detector: nn.Module) -> int:
    """The factor input sides must be divisible by (the deepest downsampling of the backbone)."""
    if head_family(detector.bbox_head).any_input_size:
        return 1
    extra = getattr(getattr(detector, 'backbone', None), 'extra', None)
    if isinstance(extra, dict) and 'stage4' in extra:  # HRNet: 4x stem, then /2 per branch
        return 4 * 2 ** (len(extra['stage4']['num_channels']) - 1)
    divisor = getattr(detector.data_preprocessor, 'pad_size_divisor', 1)
    return max(32, int(divisor))


def end2end_module(detector: nn.Module, shape: Tuple[int, int]) -> nn.Module:
    """The end-to-end export wrapper for ``detector``'s head family."""
    wrapper = head_family(detector.bbox_head).wrapper
    return getattr(importlib.import_module('mmdet_lite.export'), wrapper)(detector, shape)


__all__ = ['ExportError', 'FAMILIES', 'HeadFamily', 'end2end_module', 'head_family',
           'model_stride']
