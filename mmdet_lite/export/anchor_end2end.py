"""End-to-end ONNX graph of the anchor-based families (RefineDetLite, SSD, GFL), TRT 8.2-ready."""

from typing import Sequence, Tuple

import torch
import torch.nn as nn
from torch import Tensor

from .head_family import head_family
from .input_normalizer import InputNormalizer
from .onnx_scope import call_in_scope

# mmdet's DeltaXYWHBBoxCoder clamps log-scale offsets to |log(16 / 1000)|
WH_RATIO_CLIP = 16 / 1000


class _OnnxNMS(torch.autograd.Function):
    """ONNX ``NonMaxSuppression`` (class-wise greedy NMS); eager forward with mmcv's ``nms``.

    ``boxes [1, N, 4]`` (x1, y1, x2, y2), ``scores [1, C, N]``; returns ``selected [S, 3]``
    (batch, class, box) int64, like the ONNX operator: per class, boxes with score above
    ``score_thr`` in descending score, each suppressing later ones with IoU > ``iou_thr``, at most
    ``max_per_class`` kept.
    """

    @staticmethod
    def forward(ctx, boxes: Tensor, scores: Tensor, max_per_class: int, iou_thr: float,
                score_thr: float) -> Tensor:
        from mmcv.ops import nms
        out = []
        for c in range(scores.shape[1]):
            s = scores[0, c]
            idx = (s > score_thr).nonzero().flatten()
            if idx.numel() == 0:
                continue
            _, keep = nms(boxes[0, idx], s[idx], iou_thr)
            keep = idx[keep[:max_per_class]]
            out.append(torch.stack([torch.zeros_like(keep), torch.full_like(keep, c), keep], 1))
        return torch.cat(out) if out else boxes.new_zeros((0, 3), dtype=torch.long)

    @staticmethod
    def symbolic(g, boxes, scores, max_per_class, iou_thr, score_thr):
        return g.op('NonMaxSuppression', boxes, scores,
                    g.op('Constant', value_t=torch.tensor([max_per_class], dtype=torch.long)),
                    g.op('Constant', value_t=torch.tensor([iou_thr], dtype=torch.float)),
                    g.op('Constant', value_t=torch.tensor([score_thr], dtype=torch.float)),
                    center_point_box_i=0)


def decode_deltas(anchors: Tensor, deltas: Tensor, stds: Tensor, means: Tensor,
                  img_hw: Tuple[int, int]) -> Tensor:
    """mmdet's ``DeltaXYWHBBoxCoder.decode`` (``clip_border``, ``add_ctr_clamp=False``)."""
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


class AnchorPostProcess(nn.Module):
    """A dense head's raw outputs in, ``dets [1, K, 5]`` and ``labels [1, K]`` (int32) out.

    Supports :class:`RefineDetLiteHead` (ODM boxes decoded on the ARM-refined anchors, anchors of
    ARM objectness <= the threshold zeroed, as its ``predict_by_feat``), mmdet's ``SSDHead`` and
    the GFL heads (``GFLHead``, :class:`GFLv2Head`: sigmoid scores; each edge's distance the
    expectation of its softmax distribution times the stride, around the anchor centre, clipped
    to the image). Anchors are constants of the static feature-map sizes.
    Post-processing as mmdet's: scores above ``score_thr``, the ``nms_pre`` best (anchor, class)
    pairs, boxes not larger than ``min_bbox_size`` dropped, class-wise NMS (ONNX
    ``NonMaxSuppression``, which TensorRT 8.2 parses when its thresholds are constants), the
    ``max_per_img`` best kept; rows past the detections are zero. Soft-NMS has no ONNX operator: a
    soft-NMS config is exported with hard NMS at the same IoU. Used by :class:`AnchorEnd2End` and
    by the mmdeploy rewriters of our heads (:mod:`mmdet_lite.deploy.rewriters`).

    Args:
        head: the dense head.
        featmap_sizes: ``(h, w)`` of each level's output.
        input_shape: ``(H, W)`` of the network input (boxes are clipped to it).
        gfl_scores_are_probs: the GFL class outputs given to ``forward`` are probabilities
            (``AnchorEnd2End`` passes GFLv2's ``sigmoid(cls) * q``), not logits.
    """

    def __init__(self, head: nn.Module, featmap_sizes: Sequence[Tuple[int, int]],
                 input_shape: Tuple[int, int], gfl_scores_are_probs: bool = False) -> None:
        super().__init__()
        object.__setattr__(self, 'head', head)  # not a sub-module: no weights of its own here
        self.input_shape = tuple(int(s) for s in input_shape)
        family = head_family(head).name
        self.refine, self.gfl = family == 'refinedet', family == 'gfl'
        self.gfl_scores_are_probs = gfl_scores_are_probs
        cfg = head.test_cfg
        self.num_classes = head.num_classes
        self.score_thr = float(cfg.get('score_thr', 0.0))
        self.nms_pre = int(cfg.get('nms_pre', 1000))
        self.iou_thr = float(cfg.nms.get('iou_threshold', 0.45))
        self.max_per_img = int(cfg.get('max_per_img', 100))
        self.min_bbox_size = float(cfg.get('min_bbox_size', -1))
        # built at trace time too (mmdeploy rewriters): every constant on the head's device
        dev = next(head.parameters()).device
        coder = head.bbox_coder
        if not self.gfl:
            self.register_buffer('stds', torch.tensor(coder.stds, dtype=torch.float32,
                                                      device=dev), persistent=False)
            self.register_buffer('means', torch.tensor(coder.means, dtype=torch.float32,
                                                       device=dev), persistent=False)
        sizes = [(int(h), int(w)) for h, w in featmap_sizes]
        level_anchors = head.prior_generator.grid_priors(sizes, device=dev)
        self.register_buffer('anchors', torch.cat(level_anchors), persistent=False)
        if self.gfl:
            strides = [float(s[0]) for s in head.prior_generator.strides]
            self.register_buffer('centers', torch.cat(
                [(a[:, :2] + a[:, 2:]) * 0.5 for a in level_anchors]), persistent=False)
            self.register_buffer('anchor_strides', torch.cat(
                [a.new_full((len(a), 1), s) for a, s in zip(level_anchors, strides,
                                                            strict=True)]), persistent=False)
            self.register_buffer('project', torch.arange(head.reg_max + 1, dtype=torch.float32,
                                                         device=dev), persistent=False)
        self._register_pair_lookups(level_anchors, dev)

    def _register_pair_lookups(self, level_anchors, dev: torch.device) -> None:  # noqa: ANN001
        """Class and anchor of each flat (class, anchor) index of the top-k segments."""
        # mmdet's RefineDetLite keeps the nms_pre best (anchor, class) pairs of the image, SSDHead
        # and GFLHead those of each level: one segment, or one per level
        counts = [len(a) for a in level_anchors]
        segments = [sum(counts)] if self.refine else counts
        self.segments = []
        start = 0
        for i, count in enumerate(segments):
            n = count * self.num_classes
            k = min(self.nms_pre, n) if self.nms_pre > 0 else n
            self.segments.append((start, count, k))
            # class / anchor of each flat (class, anchor) index: constant lookups, no // or %
            self.register_buffer(f'pair_class{i}', torch.arange(
                self.num_classes, dtype=torch.float32, device=dev).repeat_interleave(count),
                persistent=False)
            self.register_buffer(f'pair_anchor{i}', torch.arange(
                start, start + count, device=dev).repeat(self.num_classes), persistent=False)
            start += count
        self.register_buffer('class_ids', torch.arange(
            self.num_classes, dtype=torch.float32, device=dev).view(-1, 1), persistent=False)

    def _boxes_scores(self, outs) -> Tuple[Tensor, Tensor]:
        """Decoded boxes ``[N, 4]`` and class scores ``[N, C]`` (background dropped)."""
        head = self.head

        def flat(preds, ch):
            return torch.cat([p.permute(0, 2, 3, 1).reshape(-1, ch) for p in preds], 0)

        if self.gfl:
            cls, bbox = outs
            n = head.reg_max + 1
            dist = (flat(bbox, 4 * n).reshape(-1, 4, n).softmax(-1) * self.project).sum(-1)
            dist = dist * self.anchor_strides
            h, w = self.input_shape
            x1y1 = self.centers - dist[:, :2]
            x2y2 = self.centers + dist[:, 2:]
            boxes = torch.cat([x1y1[:, :1].clamp(0, w), x1y1[:, 1:].clamp(0, h),
                               x2y2[:, :1].clamp(0, w), x2y2[:, 1:].clamp(0, h)], 1)
            scores = flat(cls, head.cls_out_channels)
            return boxes, scores if self.gfl_scores_are_probs else scores.sigmoid()
        reg = head.bbox_coder.encode_size
        if self.refine:
            arm_cls, arm_reg, odm_cls, odm_reg = outs
            refined = decode_deltas(self.anchors, flat(arm_reg, reg), self.stds, self.means,
                                    self.input_shape)
            refined = torch.cat([refined[:, :2], torch.max(refined[:, 2:], refined[:, :2] + 1)],
                                1)
            boxes = decode_deltas(refined, flat(odm_reg, reg), self.stds, self.means,
                                  self.input_shape)
            keep = (flat(arm_cls, 2).softmax(-1)[:, :1] > head.objectness_thr).float()
            scores = flat(odm_cls, head.cls_out_channels).softmax(-1)[:, :self.num_classes] * keep
        else:
            cls, bbox = outs
            boxes = decode_deltas(self.anchors, flat(bbox, reg), self.stds, self.means,
                                  self.input_shape)
            scores = flat(cls, head.cls_out_channels).softmax(-1)[:, :self.num_classes]
        return boxes, scores

    def forward(self, outs) -> Tuple[Tensor, Tensor]:
        boxes, scores = self._boxes_scores(outs)
        # the nms_pre best (class, anchor) pairs, as mmdet's filter_scores_and_topk
        pair_scores, cls, cand = [], [], []
        for i, (start, count, k) in enumerate(self.segments):
            top, pairs = scores[start:start + count].t().reshape(-1).topk(k)
            pair_scores.append(top)
            cls.append(getattr(self, f'pair_class{i}')[pairs])
            cand.append(boxes[getattr(self, f'pair_anchor{i}')[pairs]])
        pair_scores, cls, cand = torch.cat(pair_scores), torch.cat(cls), torch.cat(cand)
        if self.min_bbox_size >= 0:  # mmdet drops boxes not wider and higher than this
            wh = cand[:, 2:] - cand[:, :2]
            pair_scores = pair_scores * (wh.min(1).values > self.min_bbox_size).float()
        # each candidate scores only in its own class row, so NMS runs per class
        nms_scores = (self.class_ids == cls[None]).float() * pair_scores[None]
        selected = _OnnxNMS.apply(cand[None], nms_scores[None], self.max_per_img, self.iou_thr,
                                  self.score_thr)
        j = selected[:, 2]
        dets = torch.cat([cand[j], pair_scores[j, None]], 1)
        labels = cls[j]
        # fixed K rows: pad with zero rows and keep the K best
        k = self.max_per_img
        dets = torch.cat([dets, dets.new_zeros(k, 5)], 0)
        labels = torch.cat([labels, labels.new_zeros(k)], 0)
        _, order = dets[:, 4].topk(k)
        return dets[order][None], labels[order].to(torch.int32)[None]


class AnchorEnd2End(nn.Module):
    """Image in, ``dets [1, K, 5]`` and ``labels [1, K]`` (int32) out, for anchor-based heads.

    Normalisation (and BGR->RGB) inside, then the detector's network, then
    :class:`AnchorPostProcess`. GFLv2's score is computed as ``sigmoid(cls) * q`` directly.
    """

    def __init__(self, detector: nn.Module, input_shape: Tuple[int, int]) -> None:
        super().__init__()
        self.detector = detector.eval()
        self.normalize = InputNormalizer(detector.data_preprocessor)
        self.input_shape = tuple(input_shape)
        head = detector.bbox_head
        with torch.no_grad():
            dev = next(detector.parameters()).device
            feats = detector.extract_feat(torch.zeros(1, 3, *input_shape, device=dev))
            sizes = [tuple(f.shape[-2:]) for f in head(feats)[0]]
        self.gfl = head_family(head).name == 'gfl'
        self.post = AnchorPostProcess(head, sizes, input_shape, gfl_scores_are_probs=self.gfl)

    def _head_outputs(self, feats: Tuple[Tensor, ...]) -> tuple:
        head = self.detector.bbox_head
        if not self.gfl:
            return head(feats)
        if not hasattr(head, 'forward_single_parts'):
            cls, reg = head(feats)
            return [c.sigmoid() for c in cls], reg

        # GFLv2: J = sigmoid(cls) * q directly, no logit(J), in the head's ONNX scope
        def joint_scores(feats):  # noqa: ANN001, ANN202
            cls, reg = [], []
            for x, scale in zip(feats, head.scales, strict=True):
                c, q, r = head.forward_single_parts(x, scale)
                cls.append(c.sigmoid() * q.sigmoid())
                reg.append(r)
            return cls, reg
        return call_in_scope(head, joint_scores, feats)

    def forward(self, img: Tensor) -> Tuple[Tensor, Tensor]:
        x = self.normalize(img)
        return self.post(self._head_outputs(self.detector.extract_feat(x)))


__all__ = ['AnchorEnd2End', 'AnchorPostProcess', 'decode_deltas']
