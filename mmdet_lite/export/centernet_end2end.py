"""End-to-end ONNX graph of a CenterNet detector (Mobile CenterNet), TensorRT-8.2 friendly."""

from typing import TYPE_CHECKING, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from .input_normalizer import InputNormalizer

if TYPE_CHECKING:  # the family table imports this module for its wrapper
    from .head_family import CenterNetFamily


class CenterNetEnd2End(nn.Module):
    """Image in, ``dets [1, K, 5]`` (x1, y1, x2, y2, score) and ``labels [1, K]`` (int32) out.

    Wraps a trained :class:`CenterNetHRNetHead` detector (or mmdet's ``CenterNetHead``, for
    side-by-side benchmarks) for a static ``(H, W)`` input with the
    data preprocessor's normalisation (and BGR->RGB flip) inside; its family
    (:class:`~mmdet_lite.export.head_family.CenterNetFamily`) gives the head's maps and decodes
    the heatmap in the graph as mmdet's ``CenterNetHead._decode_heatmap`` does (Zhou et al.:
    local maxima by a 3x3 max-pool, top-K over classes x positions, no NMS), with standard ONNX
    operators only.

    The decoding (:func:`decode_centernet`) avoids what TensorRT 8.2's ONNX parser rejects: no
    ``Mod`` (integer ``%``), no ``Reciprocal``, a constant ``K``, no max-pool indices.

    Input: ``[1, 3, H, W]`` float32, raw 0-255 pixels in the channel order of the training
    images as loaded by mmcv (BGR), already resized to ``(H, W)``. Boxes are in that input's
    pixel coordinates, clipped to it.
    """

    def __init__(self, detector: nn.Module, input_shape: Tuple[int, int],
                 family: 'CenterNetFamily') -> None:
        super().__init__()
        self.detector = detector.eval()
        self.family = family
        head = detector.bbox_head
        self.normalize = InputNormalizer(detector.data_preprocessor)
        self.topk = int(head.test_cfg.topk)
        self.kernel = int(head.test_cfg.local_maximum_kernel)
        self.input_shape = tuple(input_shape)
        with torch.no_grad():
            probe = torch.zeros(1, 3, *input_shape, device=next(detector.parameters()).device)
            logits = family.graph_outputs(head, detector.extract_feat(probe))[0]
        num_classes, out_h, out_w = logits.shape[1:]
        self.num_classes, self.out_hw = num_classes, (int(out_h), int(out_w))
        if num_classes * out_h * out_w >= 2 ** 31:  # the index arithmetic is INT32
            raise ValueError('heatmap too large for INT32 index decoding')
        if self.topk > num_classes * out_h * out_w:
            raise ValueError(f'test_cfg.topk={self.topk} exceeds the {num_classes}x{out_h}x{out_w} '
                             'heatmap; lower it or export a larger input shape')

    def forward(self, img: Tensor) -> Tuple[Tensor, Tensor]:
        feats = self.detector.extract_feat(self.normalize(img))
        outs = self.family.graph_outputs(self.detector.bbox_head, feats)
        return self.family.decode(outs, self.input_shape, self.topk, self.kernel, self.out_hw)


def decode_centernet(heat: Tensor, wh: Tensor, offset: Tensor, input_hw: Tuple[int, int],
                     k: int = 100, kernel: int = 3,
                     static_hw: Optional[Tuple[int, int]] = None) -> Tuple[Tensor, Tensor]:
    """mmdet's ``CenterNetHead._decode_heatmap`` in TensorRT-8.2-parsable operators.

    ``heat`` are sigmoid heatmaps ``[B, C, h, w]``; returns ``dets [B, k, 5]`` (boxes in input
    pixels, clipped to the input) and ``labels [B, k]`` int32. The flat top-k index (up to
    ``C*h*w``, beyond float16's exact integers above 2048) is split into class, y and x in INT32
    with ``Div`` (truncating, exact for these non-negative values), ``Mul`` and ``Sub``: no
    ``Mod`` (unsupported by TensorRT 8.2), and no float tensor ever holds the index, so neither an
    fp16 file nor ``trtexec --fp16`` on an fp32 file can round it. Only ``y`` and ``x`` (below the
    map's sides) are cast to float. The size and offset maps are tiled over classes so that the
    same index gathers them (``GatherElements``).
    ``static_hw``: the heatmap size as Python ints for a static-shape export; otherwise the traced
    sizes are used and scale factors become graph ops (``Reciprocal`` among them).
    """
    b, c, h, w = heat.shape
    if static_hw is not None:
        h, w = static_hw
    hmax = F.max_pool2d(heat, kernel, stride=1, padding=(kernel - 1) // 2)
    heat = heat * (hmax == heat).float()
    scores, inds = heat.reshape(b, -1).topk(k, dim=1)
    hw = h * w
    flat = inds.to(torch.int32)
    cls = torch.div(flat, hw, rounding_mode='trunc')
    pos = flat - cls * hw
    ys_i = torch.div(pos, w, rounding_mode='trunc')
    xs = (pos - ys_i * w).float()
    ys = ys_i.float()
    # torch.cat, not .repeat: repeat exports an INT64 ConstantOfShape (FP32-only in TRT 8.2)
    wh = torch.cat([wh.reshape(b, 2, hw)] * c, dim=2)
    offset = torch.cat([offset.reshape(b, 2, hw)] * c, dim=2)
    box_w = wh[:, 0].gather(1, inds)
    box_h = wh[:, 1].gather(1, inds)
    cx = xs + offset[:, 0].gather(1, inds)
    cy = ys + offset[:, 1].gather(1, inds)
    h_in, w_in = input_hw
    sx, sy = w_in / w, h_in / h
    x1 = ((cx - box_w * 0.5) * sx).clamp(0, w_in)
    y1 = ((cy - box_h * 0.5) * sy).clamp(0, h_in)
    x2 = ((cx + box_w * 0.5) * sx).clamp(0, w_in)
    y2 = ((cy + box_h * 0.5) * sy).clamp(0, h_in)
    dets = torch.stack([x1, y1, x2, y2, scores], dim=2)
    return dets, cls


__all__ = ['CenterNetEnd2End', 'decode_centernet']
