"""Attention-guided feature distillation for SSD (attention-guided KD, Sec. 2, Eq. 1-5, Fig. 1)."""

from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmdet.models.utils import unpack_gt_instances
from mmdet.registry import MODELS
from mmdet.structures import SampleList
from mmdet.utils import ConfigType, InstanceList, OptInstanceList
from torch import Tensor

from mmdet_lite.models.losses.attention_imitation_loss import (
    attention_weights,
    batch_attention_maps,
)

from ..utils.hard_negative_mining import hard_negative_mask
from .base_distiller import BaseDistiller, DistillationError


@MODELS.register_module()
class AttentionDistiller(BaseDistiller):
    """An SSD student that imitates a frozen SSD teacher's features under attention maps.

    ``L = L_det + lambda_1 * L_dis`` (Eq. 3). The guided layers are the feature maps the SSD
    heads predict from (all of them by default, ``guided_levels``). Each gets an adaptation layer
    ``R`` (1x1 conv + ReLU, student channels to teacher channels, Sec. 2.1) and an attention map
    (Eq. 2) built from the samples of the student's classification loss, positives and the 1:3
    mined hard negatives exactly as ``SSDHead`` selects them, each weighted by Eq. (1) from its
    own loss. ``L_dis`` is :class:`AttentionImitationLoss` (Eq. 5); ``attention=False`` gives the
    SimpleDis baseline of Table 1 (``A = 1``).

    The adaptation layers are trained with the student but are not part of it: they live under
    ``adapters.`` and :class:`~mmdet_lite.engine.hooks.StudentCheckpointHook` stores them beside
    the checkpoint's ``state_dict``, which then loads strictly into the plain student config.

    Args:
        teacher: ``dict(config=..., checkpoint=...)`` of a trained SSD teacher (same classes).
        loss_distill: config of the imitation loss (``loss_weight`` is lambda_1).
        attention: attention maps (AttentionDis) or uniform weights (SimpleDis).
        w_max, alpha, beta: Eq. (1) hyper-parameters (paper: 15, 0.05, 2).
        guided_levels: indices of the guided feature maps (``None``: all).
        Other args: as :class:`mmdet.models.detectors.SingleStageDetector`.

    The adaptation layers take their channel counts from the two heads' ``in_channels`` (the
    feature maps they predict from); the feature sizes are checked on the first batch.
    """

    training_only_prefixes = ('adapters.',)

    def __init__(self,
                 backbone: ConfigType,
                 bbox_head: ConfigType,
                 teacher: ConfigType,
                 loss_distill: ConfigType = dict(type='AttentionImitationLoss', loss_weight=1.0),
                 attention: bool = True,
                 w_max: float = 15.0,
                 alpha: float = 0.05,
                 beta: float = 2.0,
                 guided_levels: Optional[Sequence[int]] = None,
                 **kwargs) -> None:
        super().__init__(backbone=backbone, bbox_head=bbox_head, teacher=teacher, **kwargs)
        self.loss_distill = MODELS.build(loss_distill)
        self.attention = attention
        self.w_max, self.alpha, self.beta = w_max, alpha, beta
        s_chs = tuple(self.bbox_head.in_channels)
        t_chs = tuple(getattr(self.teacher.bbox_head, 'in_channels', ()))
        if len(s_chs) != len(t_chs):
            raise DistillationError(
                f'The student head predicts from {len(s_chs)} feature maps and the teacher head '
                f'from {len(t_chs)}; guided layers pair them one to one (same SSD levels).')
        levels = tuple(range(len(s_chs))) if guided_levels is None else tuple(guided_levels)
        if not levels or not set(levels) <= set(range(len(s_chs))):
            raise DistillationError(f'guided_levels {guided_levels} must be a non-empty subset '
                                    f'of 0..{len(s_chs) - 1}')
        self.guided_levels = levels
        self.adapters = nn.ModuleList(
            nn.Sequential(nn.Conv2d(s_chs[m], t_chs[m], 1), nn.ReLU(inplace=True))
            for m in levels)

    # ------------------------------------------------------------- attention
    @torch.no_grad()
    def attention_maps(self, cls_scores: Sequence[Tensor], batch_gt_instances: InstanceList,
                       batch_img_metas: List[dict],
                       batch_gt_instances_ignore: OptInstanceList = None) -> List[Tensor]:
        """Eq. (1)-(2): one ``[B, H, W]`` map per guided level from the student's cls loss.

        The samples are the anchors ``SSDHead.loss_by_feat_single`` sums: positives and the
        ``neg_pos_ratio`` x #positives negatives of largest loss in each image (ties among
        negatives of equal loss may be broken differently from ``topk``; they get equal weight).
        A sample's box is its anchor.
        """
        head = self.bbox_head
        num_imgs = len(batch_img_metas)
        featmap_sizes = [s.shape[-2:] for s in cls_scores]
        device = cls_scores[0].device
        anchor_list, valid_flag_list = head.get_anchors(featmap_sizes, batch_img_metas,
                                                        device=device)
        labels_list, label_weights_list = head.get_targets(
            anchor_list, valid_flag_list, batch_gt_instances, batch_img_metas,
            batch_gt_instances_ignore=batch_gt_instances_ignore, unmap_outputs=True)[:2]
        scores = torch.cat([s.permute(0, 2, 3, 1).reshape(num_imgs, -1, head.cls_out_channels)
                            for s in cls_scores], 1).float()
        labels = torch.cat(labels_list, -1).view(num_imgs, -1)
        label_weights = torch.cat(label_weights_list, -1).view(num_imgs, -1)
        loss_all = F.cross_entropy(scores.flatten(0, 1), labels.flatten(),
                                   reduction='none').view(num_imgs, -1) * label_weights
        pos = (labels >= 0) & (labels < head.num_classes)
        neg = labels == head.num_classes
        selected = pos | hard_negative_mask(loss_all, pos, neg, head.train_cfg['neg_pos_ratio'])
        weights = attention_weights(loss_all, self.w_max, self.alpha, self.beta)

        maps = []
        starts = [0]
        for anchors in anchor_list[0]:
            starts.append(starts[-1] + len(anchors))
        for m in self.guided_levels:
            sel = selected[:, starts[m]:starts[m + 1]]
            b, a = sel.nonzero(as_tuple=True)
            maps.append(batch_attention_maps(
                anchor_list[0][m][a], weights[:, starts[m]:starts[m + 1]][b, a], b, num_imgs,
                tuple(featmap_sizes[m]), head.prior_generator.strides[m]))
        return maps

    # ------------------------------------------------------------------ loss
    def student_outputs(self, inputs: Tensor) -> Tuple[Tuple[Tensor, ...], list, list]:
        """The student's feature maps and SSD head outputs."""
        feats = self.extract_feat(inputs)
        cls_scores, bbox_preds = self.bbox_head(feats)
        return feats, cls_scores, bbox_preds

    def teacher_outputs(self, inputs: Tensor) -> Tuple[Tensor, ...]:
        """The teacher's feature maps."""
        return self.teacher.extract_feat(inputs)

    def check_pairs(self, student: tuple, teacher: Tuple[Tensor, ...],
                    input_shape: Tuple[int, int]) -> None:
        self.check_sizes('guided feature maps',
                         [student[0][m].shape[-2:] for m in self.guided_levels],
                         [teacher[m].shape[-2:] for m in self.guided_levels], input_shape,
                         'Check the teacher config (the same SSD levels).')

    def distill_loss(self, student: tuple, teacher: Tuple[Tensor, ...],
                     batch_data_samples: SampleList) -> Dict[str, Tensor]:
        """Eq. (3): SSD's detection losses plus ``lambda_1 * L_dis``."""
        feats, cls_scores, bbox_preds = student
        gt_instances, gt_ignore, img_metas = unpack_gt_instances(batch_data_samples)
        losses: Dict[str, Tensor] = self.bbox_head.loss_by_feat(
            cls_scores, bbox_preds, gt_instances, img_metas, gt_ignore)
        adapted = [adapter(feats[m]) for adapter, m in zip(self.adapters, self.guided_levels,
                                                           strict=True)]
        maps = None
        if self.attention:
            maps = self.attention_maps(cls_scores, gt_instances, img_metas, gt_ignore)
            losses['attn_cover'] = torch.stack([(a > 0).float().mean() for a in maps]).mean()
        losses['loss_distill'] = self.loss_distill(
            adapted, [teacher[m] for m in self.guided_levels], maps)
        return losses


__all__ = ['AttentionDistiller']
