"""End-to-end ONNX graph of the anchor-based families (RefineDetLite, SSD, GFL), TRT 8.2-ready."""

from typing import TYPE_CHECKING, List, Sequence, Tuple

import torch
import torch.nn as nn
from torch import Tensor

from .input_normalizer import InputNormalizer

if TYPE_CHECKING:  # the family table imports this module for its wrapper
    from .head_family import AnchorFamily


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


class AnchorPostProcess(nn.Module):
    """A dense head's decoded outputs, top-k and NMS: ``dets [1, K, 5]``, ``labels [1, K]`` (int32).

    The head's family decodes (:class:`~mmdet_lite.export.anchor_decoders.DeltaDecoder` and its
    kin, the family's ``decoder``), on anchors that are constants of the static feature-map
    sizes. Post-processing as mmdet's: scores above ``score_thr``, the ``nms_pre`` best (anchor,
    class) pairs of each level (of the image where the family's ``one_topk_per_image``, as
    RefineDetLite's ``predict_by_feat``), boxes not larger than ``min_bbox_size`` dropped,
    class-wise NMS (ONNX ``NonMaxSuppression``, which TensorRT 8.2 parses when its thresholds
    are constants), the ``max_per_img`` best kept; rows past the detections are zero. Soft-NMS
    has no ONNX operator: a soft-NMS config is exported with hard NMS at the same IoU. Used by
    :class:`AnchorEnd2End` and by the mmdeploy rewriters of our heads
    (:mod:`mmdet_lite.deploy.rewriters`).

    Args:
        head: the dense head.
        featmap_sizes: ``(h, w)`` of each level's output.
        input_shape: ``(H, W)`` of the network input (boxes are clipped to it).
        family: the head's :class:`~mmdet_lite.export.head_family.AnchorFamily`; ``forward``
            takes the outputs in the form its ``graph_outputs`` and ``from_predict_inputs``
            give.
    """

    def __init__(self, head: nn.Module, featmap_sizes: Sequence[Tuple[int, int]],
                 input_shape: Tuple[int, int], family: 'AnchorFamily') -> None:
        super().__init__()
        self.input_shape = tuple(int(s) for s in input_shape)
        cfg = head.test_cfg
        self.num_classes = head.num_classes
        self.score_thr = float(cfg.get('score_thr', 0.0))
        self.nms_pre = int(cfg.get('nms_pre', 1000))
        self.iou_thr = float(cfg.nms.get('iou_threshold', 0.45))
        self.max_per_img = int(cfg.get('max_per_img', 100))
        self.min_bbox_size = float(cfg.get('min_bbox_size', -1))
        # built at trace time too (mmdeploy rewriters): every constant on the head's device
        dev = next(head.parameters()).device
        sizes = [(int(h), int(w)) for h, w in featmap_sizes]
        level_anchors = head.prior_generator.grid_priors(sizes, device=dev)
        self.decoder = family.decoder(head, level_anchors, self.input_shape)
        counts = [len(a) for a in level_anchors]
        self._register_pair_lookups([sum(counts)] if family.one_topk_per_image else counts, dev)

    def _register_pair_lookups(self, segments: List[int], dev: torch.device) -> None:
        """Class and anchor of each flat (class, anchor) index of the top-k ``segments`` (anchor
        counts: one per level, or one for the image)."""
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

    def forward(self, outs: Sequence[List[Tensor]]) -> Tuple[Tensor, Tensor]:
        boxes, scores = self.decoder(outs)
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

    Normalisation (and BGR->RGB) inside, then the detector's network, the head's outputs as its
    family's ``graph_outputs`` computes them (GFLv2: ``sigmoid(cls) * q`` directly), then
    :class:`AnchorPostProcess`. Built by the family (``end2end_module(detector, shape)``).
    """

    def __init__(self, detector: nn.Module, input_shape: Tuple[int, int],
                 family: 'AnchorFamily') -> None:
        super().__init__()
        self.detector = detector.eval()
        self.normalize = InputNormalizer(detector.data_preprocessor)
        self.input_shape = tuple(input_shape)
        self.family = family
        head = detector.bbox_head
        with torch.no_grad():
            dev = next(detector.parameters()).device
            feats = detector.extract_feat(torch.zeros(1, 3, *input_shape, device=dev))
            sizes = [tuple(f.shape[-2:]) for f in family.graph_outputs(head, feats)[0]]
        self.post = AnchorPostProcess(head, sizes, input_shape, family)

    def forward(self, img: Tensor) -> Tuple[Tensor, Tensor]:
        feats = self.detector.extract_feat(self.normalize(img))
        return self.post(self.family.graph_outputs(self.detector.bbox_head, feats))


__all__ = ['AnchorEnd2End', 'AnchorPostProcess']
