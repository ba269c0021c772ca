"""Attention-guided feature distillation for SSD (attention-guided KD, Sec. 2, Eq. 1-5, Fig. 1)."""

from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmdet.models.utils import unpack_gt_instances
from mmdet.registry import MODELS
from mmdet.structures import SampleList
from mmdet.utils import ConfigType, InstanceList, OptConfigType, OptInstanceList, OptMultiConfig
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
        student_classes: the student's class names, checked against the teacher's.
        check_shape: ``(H, W)`` of the start-up forward that checks the feature sizes and reads
            the channel counts for the adaptation layers (the training input size).
        Other args: as :class:`mmdet.models.detectors.SingleStageDetector`.
    """

    training_only_prefixes = ('adapters.',)

    def __init__(self,
                 backbone: ConfigType,
                 bbox_head: ConfigType,
                 teacher: ConfigType,
                 neck: OptConfigType = None,
                 loss_distill: ConfigType = dict(type='AttentionImitationLoss', loss_weight=1.0),
                 attention: bool = True,
                 w_max: float = 15.0,
                 alpha: float = 0.05,
                 beta: float = 2.0,
                 guided_levels: Optional[Sequence[int]] = None,
                 student_classes: Optional[Sequence[str]] = None,
                 check_shape: Tuple[int, int] = (300, 300),
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 data_preprocessor: OptConfigType = None,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(backbone=backbone, neck=neck, bbox_head=bbox_head, train_cfg=train_cfg,
                         test_cfg=test_cfg, data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.loss_distill = MODELS.build(loss_distill)
        self.attention = attention
        self.w_max, self.alpha, self.beta = w_max, alpha, beta
        self._init_teacher(teacher, student_classes)
        s_chs, t_chs = self._check_shapes(check_shape, guided_levels)
        self.adapters = nn.ModuleList(
            nn.Sequential(nn.Conv2d(cs, ct, 1), nn.ReLU(inplace=True))
            for cs, ct in zip(s_chs, t_chs, strict=True))

    @torch.no_grad()
    def _check_shapes(self, shape: Tuple[int, int],
                      guided_levels: Optional[Sequence[int]]) -> Tuple[List[int], List[int]]:
        was_training = self.training
        self.eval()
        dummy = torch.zeros(1, 3, *shape)
        s_feats = self.extract_feat(dummy)
        t_feats = self.teacher.extract_feat(dummy)
        self.train(was_training)
        if len(s_feats) != len(t_feats):
            raise DistillationError(
                f'The student has {len(s_feats)} feature maps and the teacher {len(t_feats)}; '
                'guided layers pair them one to one (same SSD levels).')
        levels = tuple(range(len(s_feats))) if guided_levels is None else tuple(guided_levels)
        if not levels or not set(levels) <= set(range(len(s_feats))):
            raise DistillationError(f'guided_levels {guided_levels} must be a non-empty subset '
                                    f'of 0..{len(s_feats) - 1}')
        for m in levels:
            if s_feats[m].shape[-2:] != t_feats[m].shape[-2:]:
                raise DistillationError(
                    f'For a {shape[0]}x{shape[1]} input, guided layer {m} of the student is '
                    f'{tuple(s_feats[m].shape[-2:])} and of the teacher '
                    f'{tuple(t_feats[m].shape[-2:])}: they must have the same spatial size. '
                    'Check the teacher config and check_shape (the training input size).')
        self.guided_levels = levels
        return [s_feats[m].shape[1] for m in levels], [t_feats[m].shape[1] for m in levels]

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
    def loss(self, batch_inputs: Tensor,
             batch_data_samples: SampleList) -> Union[dict, list]:
        """Eq. (3): SSD's detection losses plus ``lambda_1 * L_dis``."""
        feats = self.extract_feat(batch_inputs)
        cls_scores, bbox_preds = self.bbox_head(feats)
        gt_instances, gt_ignore, img_metas = unpack_gt_instances(batch_data_samples)
        losses: Dict[str, Tensor] = self.bbox_head.loss_by_feat(
            cls_scores, bbox_preds, gt_instances, img_metas, gt_ignore)
        with torch.no_grad():
            t_feats = self.teacher.extract_feat(batch_inputs)
        adapted = [adapter(feats[m]) for adapter, m in zip(self.adapters, self.guided_levels,
                                                           strict=True)]
        maps = None
        if self.attention:
            maps = self.attention_maps(cls_scores, gt_instances, img_metas, gt_ignore)
            losses['attn_cover'] = torch.stack([(a > 0).float().mean() for a in maps]).mean()
        losses['loss_distill'] = self.loss_distill(
            adapted, [t_feats[m] for m in self.guided_levels], maps)
        return losses


__all__ = ['AttentionDistiller']
