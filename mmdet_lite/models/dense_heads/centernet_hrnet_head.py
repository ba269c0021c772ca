"""CenterNet head on HRNet's stage-4 highest-resolution feature (Mobile CenterNet, Fig. 1)."""

from typing import List, Sequence, Tuple

import torch.nn as nn
from mmcv.cnn import build_norm_layer
from mmdet.models.dense_heads import CenterNetHead
from mmdet.models.utils import gaussian_radius, gen_gaussian_target, multi_apply
from mmdet.registry import MODELS
from mmdet.utils import ConfigType, OptConfigType, OptMultiConfig
from mmengine.model import bias_init_with_prob, normal_init
from mmengine.structures import InstanceData
from torch import Tensor


@MODELS.register_module()
class CenterNetHRNetHead(CenterNetHead):
    """CenterNet head fed by one HRNet branch (Mobile CenterNet Sec. 3.1, Fig. 1).

    A 3x3 "head convolution" with ``feat_channels`` filters (32 for the W16 student, 64 for the
    W32 teacher) followed by the heatmap, size and offset 1x1 branches of mmdet's
    :class:`CenterNetHead`; losses are Eq. (3) (or mmdet's Gaussian focal loss), Eq. (6) and (5)
    weighted by Eq. (7).

    Compared with mmdet's head it picks the HRNet branch ``in_index`` (0: highest resolution) out
    of the backbone's tuple, works without the ``border`` meta of ``RandomCenterCropPad`` (plain
    resize pipelines) and keeps centres of boxes touching the image border inside the heatmap.

    Args:
        in_channels: channels of the selected HRNet branch.
        feat_channels: filters of the 3x3 head convolution.
        num_classes: number of object classes.
        in_index: which backbone output to use.
        input_norm_cfg: optional norm layer (e.g. ``dict(type='BN')``) on the head input. HRNet's
            fuse layers add branches without renormalising, so a backbone trained from scratch
            (no ImageNet weights, as for W16 and on the synthetic benchmark) feeds the head
            activations in the hundreds at initialisation; this keeps them at unit scale. Not in
            the paper, where the backbone is pre-trained; off by default.
        loss_center_heatmap, loss_wh, loss_offset, train_cfg, test_cfg, init_cfg: as in
            :class:`mmdet.models.dense_heads.CenterNetHead` (Eq. 3 or mmdet's focal loss, Eq. 6,
            Eq. 5; their loss weights are lambda_size and lambda_off of Eq. 7).
    """

    def __init__(self,
                 in_channels: int,
                 feat_channels: int,
                 num_classes: int,
                 in_index: int = 0,
                 input_norm_cfg: OptConfigType = None,
                 loss_center_heatmap: ConfigType = dict(type='GaussianFocalLoss', loss_weight=1.0),
                 loss_wh: ConfigType = dict(type='L1Loss', loss_weight=0.1),
                 loss_offset: ConfigType = dict(type='L1Loss', loss_weight=1.0),
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(in_channels, feat_channels, num_classes,
                         loss_center_heatmap=loss_center_heatmap, loss_wh=loss_wh,
                         loss_offset=loss_offset, train_cfg=train_cfg, test_cfg=test_cfg,
                         init_cfg=init_cfg)
        self.in_index = in_index
        self.input_norm = (build_norm_layer(input_norm_cfg, in_channels)[1]
                           if input_norm_cfg is not None else nn.Identity())

    def init_weights(self) -> None:
        """mmdet's init, plus a small-std last heatmap conv.

        With a backbone trained from scratch (no ImageNet weights here), default-initialised
        weights give heatmap logits far from the prior ``p = 0.1`` set by the bias, and the focal
        loss starts in the thousands; the RetinaNet-style ``std = 0.01`` keeps the prior.
        """
        super().init_weights()
        normal_init(self.heatmap_head[-1], std=0.01, bias=bias_init_with_prob(0.1))

    def forward(self, x: Sequence[Tensor]) -> Tuple[List[Tensor]]:
        """Run the head on backbone branch ``in_index``; returns mmdet's single-level outputs."""
        return multi_apply(self.forward_single, [self.input_norm(x[self.in_index])])

    def forward_logits(self, x: Sequence[Tensor]) -> Tuple[Tensor, Tensor, Tensor]:
        """Heatmap logits (before the sigmoid), size and offset maps of branch ``in_index``."""
        feat = self.input_norm(x[self.in_index])
        return self.heatmap_head(feat), self.wh_head(feat), self.offset_head(feat)

    def get_targets(self, gt_bboxes: List[Tensor], gt_labels: List[Tensor], feat_shape: tuple,
                    img_shape: tuple) -> Tuple[dict, int]:
        """CenterNet targets (Eq. 1-2, 5-6) for a batch; same layout as mmdet's.

        Centres are floored to the output grid and clamped inside it, so a box whose centre lies on
        the right/bottom image border cannot index past the heatmap.
        """
        img_h, img_w = img_shape[:2]
        bs, _, feat_h, feat_w = feat_shape
        width_ratio = float(feat_w / img_w)
        height_ratio = float(feat_h / img_h)

        ref = gt_bboxes[-1]
        heatmap = ref.new_zeros([bs, self.num_classes, feat_h, feat_w])
        wh_target = ref.new_zeros([bs, 2, feat_h, feat_w])
        offset_target = ref.new_zeros([bs, 2, feat_h, feat_w])
        wh_offset_weight = ref.new_zeros([bs, 2, feat_h, feat_w])

        for batch_id in range(bs):
            bboxes = gt_bboxes[batch_id]
            if bboxes.numel() == 0:
                continue
            labels = gt_labels[batch_id]
            ctx = (bboxes[:, 0] + bboxes[:, 2]) * width_ratio / 2
            cty = (bboxes[:, 1] + bboxes[:, 3]) * height_ratio / 2
            ctx_int = ctx.floor().clamp(0, feat_w - 1).long()
            cty_int = cty.floor().clamp(0, feat_h - 1).long()
            box_w = (bboxes[:, 2] - bboxes[:, 0]) * width_ratio
            box_h = (bboxes[:, 3] - bboxes[:, 1]) * height_ratio
            for j in range(bboxes.size(0)):
                radius = max(0, int(gaussian_radius([box_h[j], box_w[j]], min_overlap=0.3)))
                gen_gaussian_target(heatmap[batch_id, labels[j]],
                                    [ctx_int[j], cty_int[j]], radius)
            wh_target[batch_id, 0, cty_int, ctx_int] = box_w
            wh_target[batch_id, 1, cty_int, ctx_int] = box_h
            offset_target[batch_id, 0, cty_int, ctx_int] = ctx - ctx_int
            offset_target[batch_id, 1, cty_int, ctx_int] = cty - cty_int
            wh_offset_weight[batch_id, :, cty_int, ctx_int] = 1

        avg_factor = max(1, heatmap.eq(1).sum())
        return dict(
            center_heatmap_target=heatmap,
            wh_target=wh_target,
            offset_target=offset_target,
            wh_offset_target_weight=wh_offset_weight), avg_factor

    def _predict_by_feat_single(self,
                                center_heatmap_pred: Tensor,
                                wh_pred: Tensor,
                                offset_pred: Tensor,
                                img_meta: dict,
                                rescale: bool = True,
                                with_nms: bool = False) -> InstanceData:
        """Decode one image's top-k peaks into boxes in the original image space."""
        det_bboxes, det_labels = self._decode_heatmap(
            center_heatmap_pred, wh_pred, offset_pred, img_meta['batch_input_shape'],
            k=self.test_cfg.topk, kernel=self.test_cfg.local_maximum_kernel)
        det_bboxes = det_bboxes.view(-1, 5)
        det_labels = det_labels.view(-1)
        if 'border' in img_meta:  # RandomCenterCropPad test mode pads around the image
            border = det_bboxes.new_tensor(img_meta['border'])[[2, 0, 2, 0]]
            det_bboxes[:, :4] -= border
        if rescale and 'scale_factor' in img_meta:
            det_bboxes[:, :4] /= det_bboxes.new_tensor(img_meta['scale_factor']).repeat(2)
        if 'ori_shape' in img_meta and rescale:
            h, w = img_meta['ori_shape'][:2]
        else:
            h, w = img_meta['img_shape'][:2]
        det_bboxes[:, 0::2] = det_bboxes[:, 0::2].clamp(0, w)
        det_bboxes[:, 1::2] = det_bboxes[:, 1::2].clamp(0, h)
        if with_nms:
            det_bboxes, det_labels = self._bboxes_nms(det_bboxes, det_labels, self.test_cfg)
        results = InstanceData()
        results.bboxes = det_bboxes[:, :4]
        results.scores = det_bboxes[:, 4]
        results.labels = det_labels
        return results


__all__ = ['CenterNetHRNetHead']
