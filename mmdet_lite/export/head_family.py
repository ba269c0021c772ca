"""How each head family exports: the one table the own exporter, the end-to-end wrappers and the
mmdeploy rewriters ask. A family is one object: which wrapper exports it, which outputs of the
head the graph computes and how they are decoded. A new head of a known family is found through
its base class (e.g. ``GFLv2LDHead`` -> ``GFLv2Head``); a new family is one class here and one
entry in ``FAMILIES``."""

from typing import Dict, List, Sequence, Tuple, Type

import torch.nn as nn
from mmdet.models.dense_heads import CenterNetHead, GFLHead, SSDHead
from torch import Tensor

from mmdet_lite.models.dense_heads import CenterNetHRNetHead, GFLv2Head, RefineDetLiteHead

from .anchor_decoders import DeltaDecoder, DistributionDecoder, RefineDetDecoder
from .anchor_end2end import AnchorEnd2End
from .centernet_end2end import CenterNetEnd2End, decode_centernet
from .onnx_scope import call_in_scope


class ExportError(RuntimeError):
    """The config, checkpoint or shape given to the exporter cannot be used; says what to do."""


class HeadFamily:
    """What the exporters need to know of a head family (the base of every family).

    Attributes:
        wrapper: the end-to-end module class, built as ``wrapper(detector, shape, family)``.
        any_input_size: anchors are laid on whatever maps the input gives (SSD300 is 300x300),
            so the input sides need not divide the backbone's stride.
    """

    wrapper: Type[nn.Module]
    any_input_size: bool = False

    def end2end(self, detector: nn.Module, shape: Tuple[int, int]) -> nn.Module:
        """The end-to-end export module of ``detector`` for a static ``(H, W)`` input."""
        return self.wrapper(detector, shape, self)

    def graph_outputs(self, head: nn.Module, feats: Tuple[Tensor, ...]) -> tuple:
        """The head's outputs as the end-to-end graph computes them, in the form the family
        decodes, in the head's ONNX scope (the int8 quantizer selects nodes by it)."""
        return head(feats)


class CenterNetFamily(HeadFamily):
    """mmdet's ``CenterNetHead`` (single level): heatmap logits, size and offset maps, decoded
    by :func:`decode_centernet` (Zhou et al., CenterNet: peaks of the sigmoid heatmap)."""

    wrapper = CenterNetEnd2End

    def graph_outputs(self, head: nn.Module, feats: Tuple[Tensor, ...]) -> tuple:
        def maps(feats: Tuple[Tensor, ...]) -> Tuple[Tensor, Tensor, Tensor]:
            return head.heatmap_head(feats[0]), head.wh_head(feats[0]), head.offset_head(feats[0])
        return call_in_scope(head, maps, feats)

    def decode(self, outs: Sequence[Tensor], input_shape: Tuple[int, int], topk: int,
               kernel: int, out_hw: Tuple[int, int]) -> Tuple[Tensor, Tensor]:
        """``dets [1, topk, 5]``, ``labels [1, topk]`` of ``graph_outputs``' maps."""
        logits, wh, offset = outs
        return decode_centernet(logits.sigmoid(), wh, offset, input_shape, topk, kernel,
                                static_hw=out_hw)


class CenterNetHRNetFamily(CenterNetFamily):
    """:class:`CenterNetHRNetHead` (Mobile CenterNet): its ``forward_logits`` gives the maps."""

    def graph_outputs(self, head: nn.Module, feats: Tuple[Tensor, ...]) -> tuple:
        return call_in_scope(head, head.forward_logits, feats)


class AnchorFamily(HeadFamily):
    """Anchor-based heads, exported by :class:`AnchorEnd2End` (decoding, top-k, ONNX NMS).

    Attributes:
        decoder_type: the module decoding ``graph_outputs`` to boxes and class scores
            (:mod:`~mmdet_lite.export.anchor_decoders`).
        one_topk_per_image: the ``nms_pre`` best pairs are taken over the image, not per level.
    """

    wrapper = AnchorEnd2End
    decoder_type: Type[nn.Module]
    one_topk_per_image: bool = False

    def decoder(self, head: nn.Module, level_anchors: List[Tensor],
                input_shape: Tuple[int, int]) -> nn.Module:
        """The decoding module for these anchors (its constants on their device)."""
        return self.decoder_type(head, level_anchors, input_shape)

    def from_predict_inputs(self, outs: Sequence[List[Tensor]]) -> tuple:
        """``predict_by_feat``'s per-level score and box lists (what mmdeploy's rewriters get)
        in the form the decoder takes, as ``graph_outputs`` gives it."""
        return tuple(outs)


class SSDFamily(AnchorFamily):
    """mmdet's ``SSDHead`` (the SSD students): softmax scores, deltas on the anchors."""

    decoder_type = DeltaDecoder
    any_input_size = True


class RefineDetFamily(AnchorFamily):
    """:class:`RefineDetLiteHead`: ODM boxes on the ARM-refined anchors, one top-k over the
    image (``models.utils.decode_odm_on_arm``, as its ``predict_by_feat``)."""

    decoder_type = RefineDetDecoder
    any_input_size = True
    one_topk_per_image = True


class GFLFamily(AnchorFamily):
    """mmdet's ``GFLHead`` and ``LDHead``: sigmoid class scores, edge distributions."""

    decoder_type = DistributionDecoder

    def graph_outputs(self, head: nn.Module, feats: Tuple[Tensor, ...]) -> tuple:
        return self.from_predict_inputs(head(feats))

    def from_predict_inputs(self, outs: Sequence[List[Tensor]]) -> tuple:
        cls, reg = outs
        return [c.sigmoid() for c in cls], reg


class GFLv2Family(GFLFamily):
    """:class:`GFLv2Head` (and :class:`GFLv2LDHead`): the graph computes the score
    ``J = sigmoid(cls) * q`` directly (GFLv2's DGQP), not ``sigmoid(logit(J))``; the rewriter
    path takes ``logit(J)``, the head's output, through the sigmoid of :class:`GFLFamily`."""

    def graph_outputs(self, head: nn.Module, feats: Tuple[Tensor, ...]) -> tuple:
        def joint_scores(feats: Tuple[Tensor, ...]) -> tuple:
            cls, reg = [], []
            for x, scale in zip(feats, head.scales, strict=True):
                c, q, r = head.forward_single_parts(x, scale)
                cls.append(c.sigmoid() * q.sigmoid())
                reg.append(r)
            return cls, reg
        return call_in_scope(head, joint_scores, feats)


FAMILIES: Dict[type, HeadFamily] = {
    CenterNetHead: CenterNetFamily(),
    SSDHead: SSDFamily(),
    RefineDetLiteHead: RefineDetFamily(),
    GFLHead: GFLFamily(),  # and LDHead
    # subclasses whose export differs from their base's
    CenterNetHRNetHead: CenterNetHRNetFamily(),
    GFLv2Head: GFLv2Family(),  # and GFLv2LDHead
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
    return head_family(detector.bbox_head).end2end(detector, shape)


__all__ = ['AnchorFamily', 'CenterNetFamily', 'CenterNetHRNetFamily', 'ExportError', 'FAMILIES',
           'GFLFamily', 'GFLv2Family', 'HeadFamily', 'RefineDetFamily', 'SSDFamily',
           'end2end_module', 'head_family', 'model_stride']
