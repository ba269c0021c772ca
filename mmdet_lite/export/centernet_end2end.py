"""End-to-end ONNX graph of a CenterNet detector (Mobile CenterNet), TensorRT-8.2 friendly."""

from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class CenterNetEnd2End(nn.Module):
    """Image in, ``dets [1, K, 5]`` (x1, y1, x2, y2, score) and ``labels [1, K]`` (int32) out.

    Wraps a trained :class:`CenterNetHRNetHead` detector (or mmdet's ``CenterNetHead``, for
    side-by-side benchmarks) for a static ``(H, W)`` input with the
    data preprocessor's normalisation (and BGR->RGB flip) inside, and decodes the heatmap in the
    graph as mmdet's ``CenterNetHead._decode_heatmap`` does (Zhou et al.: local maxima by a 3x3
    max-pool, top-K over classes x positions, no NMS), with standard ONNX operators only.

    The decoding avoids what TensorRT 8.2's ONNX parser rejects: the class, x and y of a flat
    top-K index come from constant lookup tables (``Gather``) instead of ``//`` and ``%``
    (exported as ``Div``/``Mod``, and ``Mod`` is unsupported), and the size/offset maps are tiled
    over classes so that the same index gathers them. ``K`` is a constant, the max-pool returns
    no indices and scaling uses ``Mul`` by constants (no ``Reciprocal``).

    Input: ``[1, 3, H, W]`` float32, raw 0-255 pixels in the channel order of the training
    images as loaded by mmcv (BGR), already resized to ``(H, W)``. Boxes are in that input's
    pixel coordinates, clipped to it.
    """

    def __init__(self, detector: nn.Module, input_shape: Tuple[int, int]) -> None:
        super().__init__()
        self.detector = detector.eval()
        head = detector.bbox_head
        pre = detector.data_preprocessor
        self.register_buffer('mean', pre.mean.detach().clone().view(1, 3, 1, 1), persistent=False)
        self.register_buffer('inv_std', (1.0 / pre.std.detach().clone()).view(1, 3, 1, 1),
                             persistent=False)
        self.bgr_to_rgb = bool(getattr(pre, '_channel_conversion', False))
        self.topk = int(head.test_cfg.topk)
        self.kernel = int(head.test_cfg.local_maximum_kernel)
        self.input_shape = tuple(input_shape)
        with torch.no_grad():
            logits = self._head_outputs(detector.extract_feat(torch.zeros(1, 3, *input_shape)))[0]
        num_classes, out_h, out_w = logits.shape[1:]
        self.num_classes, self.out_hw = num_classes, (out_h, out_w)
        idx = torch.arange(num_classes * out_h * out_w)
        pos = idx % (out_h * out_w)
        # lookup tables indexed by the flat top-K index over [C, h, w]
        self.register_buffer('cls_table', (idx // (out_h * out_w)).float(), persistent=False)
        self.register_buffer('x_table', (pos % out_w).float(), persistent=False)
        self.register_buffer('y_table', (pos // out_w).float(), persistent=False)
        self.scale = (input_shape[1] / out_w, input_shape[0] / out_h)
        if self.topk > num_classes * out_h * out_w:
            raise ValueError(f'test_cfg.topk={self.topk} exceeds the {num_classes}x{out_h}x{out_w} '
                             'heatmap; lower it or export a larger input shape')

    def _head_outputs(self, feats: Tuple[Tensor, ...]) -> Tuple[Tensor, Tensor, Tensor]:
        """Heatmap logits, size and offset maps (our head, or mmdet's single-level one)."""
        head = self.detector.bbox_head
        if hasattr(head, 'forward_logits'):
            return head.forward_logits(feats)
        x = feats[0]
        return head.heatmap_head(x), head.wh_head(x), head.offset_head(x)

    def forward(self, img: Tensor) -> Tuple[Tensor, Tensor]:
        if self.bgr_to_rgb:
            img = torch.cat([img[:, 2:3], img[:, 1:2], img[:, 0:1]], dim=1)
        x = (img - self.mean) * self.inv_std
        logits, wh, offset = self._head_outputs(self.detector.extract_feat(x))
        heat = logits.sigmoid()
        pad = (self.kernel - 1) // 2
        hmax = F.max_pool2d(heat, self.kernel, stride=1, padding=pad)
        heat = heat * (hmax == heat).float()
        scores, inds = heat.reshape(1, -1).topk(self.topk, dim=1)
        inds = inds[0]
        hw = self.out_hw[0] * self.out_hw[1]
        # [2, h*w] -> [2, C*h*w]: one flat index addresses heatmap, size and offset alike
        # (torch.cat, not .repeat: repeat exports an INT64 ConstantOfShape, FP32-only in TRT 8.2)
        wh = torch.cat([wh.reshape(2, hw)] * self.num_classes, dim=1)[:, inds]
        offset = torch.cat([offset.reshape(2, hw)] * self.num_classes, dim=1)[:, inds]
        cx = self.x_table[inds] + offset[0]
        cy = self.y_table[inds] + offset[1]
        half_w, half_h = wh[0] * 0.5, wh[1] * 0.5
        sx, sy = self.scale
        h_in, w_in = self.input_shape
        x1 = ((cx - half_w) * sx).clamp(0, w_in)
        y1 = ((cy - half_h) * sy).clamp(0, h_in)
        x2 = ((cx + half_w) * sx).clamp(0, w_in)
        y2 = ((cy + half_h) * sy).clamp(0, h_in)
        dets = torch.stack([x1, y1, x2, y2, scores[0]], dim=1).unsqueeze(0)
        labels = self.cls_table[inds].to(torch.int32).unsqueeze(0)
        return dets, labels


__all__ = ['CenterNetEnd2End']
