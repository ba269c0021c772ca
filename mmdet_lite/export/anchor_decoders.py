"""Decoders of the anchor-based families' raw outputs in TensorRT-8.2-parsable operators.

Each takes a head's per-level outputs (batch 1, in the form its family's ``graph_outputs``
gives) and returns decoded boxes ``[N, 4]`` (input pixels, clipped to the input) and class
scores ``[N, C]`` (background dropped), ``N`` the anchors of every level. Anchors and coder
constants are non-persistent buffers built from the static feature-map sizes, on the head's
device. :mod:`~mmdet_lite.export.head_family` says which family uses which decoder.
"""

from typing import List, Sequence, Tuple

import torch
import torch.nn as nn
from torch import Tensor

from mmdet_lite.models.utils.refinedet_decode import decode_odm_on_arm

# mmdet's DeltaXYWHBBoxCoder clamps log-scale offsets to |log(16 / 1000)|
WH_RATIO_CLIP = 16 / 1000


def decode_deltas(anchors: Tensor, deltas: Tensor, stds: Tensor, means: Tensor,
                  img_hw: Tuple[int, int]) -> Tensor:
    """mmdet's ``DeltaXYWHBBoxCoder.decode`` (``clip_border``, ``add_ctr_clamp=False``).

    R-CNN's box parametrisation inverted: centre ``p + w_p * d_xy``, size ``w_p * exp(d_wh)``
    (``d_wh`` clamped), on de-normalised deltas ``d * stds + means``; no in-place clamping and
    no ``Tile`` (mmdet's ``delta2bbox`` has both).
    """
    d = deltas * stds + means
    max_ratio = abs(float(torch.log(torch.tensor(WH_RATIO_CLIP))))
    dwh = d[..., 2:].clamp(-max_ratio, max_ratio)
    pxy = (anchors[..., :2] + anchors[..., 2:]) * 0.5
    pwh = anchors[..., 2:] - anchors[..., :2]
    gxy = pxy + pwh * d[..., :2]
    gwh = pwh * dwh.exp()
    h, w = img_hw
    x1y1 = gxy - gwh * 0.5
    x2y2 = gxy + gwh * 0.5
    return torch.cat([x1y1[..., :1].clamp(0, w), x1y1[..., 1:].clamp(0, h),
                      x2y2[..., :1].clamp(0, w), x2y2[..., 1:].clamp(0, h)], -1)


def flatten_levels(preds: Sequence[Tensor], channels: int) -> Tensor:
    """``[1, A * channels, h, w]`` per level -> ``[sum(A h w), channels]`` (mmdet's order)."""
    return torch.cat([p.permute(0, 2, 3, 1).reshape(-1, channels) for p in preds], 0)


class DeltaDecoder(nn.Module):
    """SSD: box deltas on the anchors (:func:`decode_deltas`), K+1-way softmax scores.

    Args:
        head: the dense head (its ``bbox_coder``, ``num_classes``, ``cls_out_channels``).
        level_anchors: each level's anchors ``[n_l, 4]`` (the head's ``grid_priors``).
        input_shape: ``(H, W)`` of the network input.
    """

    def __init__(self, head: nn.Module, level_anchors: List[Tensor],
                 input_shape: Tuple[int, int]) -> None:
        super().__init__()
        self.input_shape = tuple(int(s) for s in input_shape)
        self.num_classes = int(head.num_classes)
        self.cls_channels = int(head.cls_out_channels)
        coder = head.bbox_coder
        self.reg_channels = int(coder.encode_size)
        dev = level_anchors[0].device
        self.register_buffer('stds', torch.tensor(coder.stds, dtype=torch.float32, device=dev),
                             persistent=False)
        self.register_buffer('means', torch.tensor(coder.means, dtype=torch.float32,
                                                   device=dev), persistent=False)
        self.register_buffer('anchors', torch.cat(level_anchors), persistent=False)

    def decode_boxes(self, boxes: Tensor, deltas: Tensor) -> Tensor:
        """``deltas`` on ``boxes``, clipped to the input (the head's coder, in the graph)."""
        return decode_deltas(boxes, deltas, self.stds, self.means, self.input_shape)

    def forward(self, outs: Sequence[List[Tensor]]) -> Tuple[Tensor, Tensor]:
        cls, bbox = outs
        boxes = self.decode_boxes(self.anchors, flatten_levels(bbox, self.reg_channels))
        scores = flatten_levels(cls, self.cls_channels).softmax(-1)[:, :self.num_classes]
        return boxes, scores


class RefineDetDecoder(DeltaDecoder):
    """RefineDetLite: ODM boxes on the ARM-refined anchors, anchors of ARM objectness <= the
    head's ``objectness_thr`` zeroed: :func:`~mmdet_lite.models.utils.decode_odm_on_arm`, the
    head's own ``predict_by_feat`` decoding, with :func:`decode_deltas` as the box coder."""

    def __init__(self, head: nn.Module, level_anchors: List[Tensor],
                 input_shape: Tuple[int, int]) -> None:
        super().__init__(head, level_anchors, input_shape)
        self.objectness_thr = float(head.objectness_thr)

    def forward(self, outs: Sequence[List[Tensor]]) -> Tuple[Tensor, Tensor]:
        arm_cls, arm_reg, odm_cls, odm_reg = outs
        reg = self.reg_channels
        return decode_odm_on_arm(
            self.anchors, flatten_levels(arm_cls, 2), flatten_levels(arm_reg, reg),
            flatten_levels(odm_cls, self.cls_channels), flatten_levels(odm_reg, reg),
            self.decode_boxes, self.num_classes, self.objectness_thr)


class DistributionDecoder(nn.Module):
    """GFL (Li et al., GFL, the discretised integral ``sum_i P(y_i) y_i`` of its Distribution
    Focal Loss section): each edge's distance is the expectation of its softmax distribution over
    ``0..reg_max`` times the level's stride, around the anchor centre; the class outputs are
    taken as probabilities (the family's ``graph_outputs`` gives them so)."""

    def __init__(self, head: nn.Module, level_anchors: List[Tensor],
                 input_shape: Tuple[int, int]) -> None:
        super().__init__()
        self.input_shape = tuple(int(s) for s in input_shape)
        self.cls_channels = int(head.cls_out_channels)
        self.bins = int(head.reg_max) + 1
        dev = level_anchors[0].device
        strides = [float(s[0]) for s in head.prior_generator.strides]
        self.register_buffer('centers', torch.cat(
            [(a[:, :2] + a[:, 2:]) * 0.5 for a in level_anchors]), persistent=False)
        self.register_buffer('anchor_strides', torch.cat(
            [a.new_full((len(a), 1), s) for a, s in zip(level_anchors, strides, strict=True)]),
            persistent=False)
        self.register_buffer('project', torch.arange(self.bins, dtype=torch.float32, device=dev),
                             persistent=False)

    def forward(self, outs: Sequence[List[Tensor]]) -> Tuple[Tensor, Tensor]:
        cls, bbox = outs
        n = self.bins
        dist = (flatten_levels(bbox, 4 * n).reshape(-1, 4, n).softmax(-1) * self.project).sum(-1)
        dist = dist * self.anchor_strides
        h, w = self.input_shape
        x1y1 = self.centers - dist[:, :2]
        x2y2 = self.centers + dist[:, 2:]
        boxes = torch.cat([x1y1[:, :1].clamp(0, w), x1y1[:, 1:].clamp(0, h),
                           x2y2[:, :1].clamp(0, w), x2y2[:, 1:].clamp(0, h)], 1)
        return boxes, flatten_levels(cls, self.cls_channels)


__all__ = ['DeltaDecoder', 'DistributionDecoder', 'RefineDetDecoder', 'decode_deltas',
           'flatten_levels']
