"""Structured knowledge distillation for Mobile CenterNet (Sec. 3.2, Eq. 8-11, Fig. 2)."""

from typing import Dict, Optional, Sequence, Tuple, Union

import torch
from mmdet.models.utils import unpack_gt_instances
from mmdet.registry import MODELS
from mmdet.structures import SampleList
from mmdet.utils import ConfigType, OptConfigType, OptMultiConfig
from torch import Tensor

from .base_distiller import BaseDistiller, DistillationError


@MODELS.register_module()
class StructuredKDDistiller(BaseDistiller):
    """A CenterNet student trained with a frozen teacher's soft targets, Eq. (11).

    ``L_KD = L_det + lambda_pa * L_pa + lambda_pi * L_pi``: ``L_pi`` (:class:`PixelwiseKLLoss`,
    Eq. 8) on the heatmap logits and ``L_pa`` (:class:`PairwiseSimilarityLoss`, Eq. 9-10) on
    HRNet's stage-4 highest-resolution feature (the branch the head reads, ``in_index``).

    The student is this detector itself (``backbone``, ``neck``, ``bbox_head``,
    ``data_preprocessor`` as in the plain student config), so a KD checkpoint is a plain student
    checkpoint: it loads with ``strict=True`` into the student config, no conversion. The teacher,
    built from its own config and checkpoint, is held outside the module tree: it is not in
    ``state_dict()``, ``parameters()`` (hence not in the optimizer) or DDP, stays in eval mode,
    and runs under ``no_grad``; ``.to()``/``.cuda()`` move it along with the student.

    Args:
        teacher: ``dict(config=..., checkpoint=...)``. The config path resolves from the working
            directory, the repo root or the installed package. The checkpoint must exist.
        loss_pixel: config of the pixel-wise loss (``None`` to disable).
        loss_pair: config of the pair-wise loss (``None`` to disable).
        student_classes: the student's class names; checked against the teacher's at start-up.
        teacher_feature_index: teacher backbone output for ``L_pa`` (default: the teacher
            head's ``in_index``).
        check_shape: input ``(H, W)`` of the start-up check that student and teacher features and
            heatmaps have the same spatial size.
        Other args: as :class:`mmdet.models.detectors.SingleStageDetector`.
    """

    def __init__(self,
                 backbone: ConfigType,
                 bbox_head: ConfigType,
                 teacher: ConfigType,
                 neck: OptConfigType = None,
                 loss_pixel: OptConfigType = dict(type='PixelwiseKLLoss', tau=1.0,
                                                  loss_weight=0.1),
                 loss_pair: OptConfigType = dict(type='PairwiseSimilarityLoss', loss_weight=10.0),
                 student_classes: Optional[Sequence[str]] = None,
                 teacher_feature_index: Optional[int] = None,
                 check_shape: Tuple[int, int] = (64, 64),
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 data_preprocessor: OptConfigType = None,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(backbone=backbone, neck=neck, bbox_head=bbox_head, train_cfg=train_cfg,
                         test_cfg=test_cfg, data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.loss_pixel = MODELS.build(loss_pixel) if loss_pixel else None
        self.loss_pair = MODELS.build(loss_pair) if loss_pair else None
        self._init_teacher(teacher, student_classes)
        self.teacher_feature_index = (self.teacher.bbox_head.in_index
                                      if teacher_feature_index is None else teacher_feature_index)
        self._check_shapes(check_shape)

    @torch.no_grad()
    def _check_shapes(self, shape: Tuple[int, int]) -> None:
        was_training = self.training
        self.eval()
        dummy = torch.zeros(1, 3, *shape)
        s_feat, s_logits = self._student_outputs(dummy)[:2]
        t_feat, t_logits = self._teacher_outputs(dummy)
        self.train(was_training)
        if s_feat.shape[-2:] != t_feat.shape[-2:] or s_logits.shape != t_logits.shape:
            raise DistillationError(
                f'For a {shape[0]}x{shape[1]} input the student gives a feature map of '
                f'{tuple(s_feat.shape[-2:])} and heatmap {tuple(s_logits.shape[1:])}, the teacher '
                f'{tuple(t_feat.shape[-2:])} and {tuple(t_logits.shape[1:])}: they must have the '
                'same spatial size (same output stride and branch). Check the teacher config and '
                'teacher_feature_index.')

    # ------------------------------------------------------------- forward/loss
    def _student_outputs(self, inputs: Tensor) -> Tuple[Tensor, Tensor, Tensor, Tensor]:
        feats = self.extract_feat(inputs)
        logits, wh, offset = self.bbox_head.forward_logits(feats)
        return feats[self.bbox_head.in_index], logits, wh, offset

    @torch.no_grad()
    def _teacher_outputs(self, inputs: Tensor) -> Tuple[Tensor, Tensor]:
        feats = self.teacher.extract_feat(inputs)
        logits = self.teacher.bbox_head.forward_logits(feats)[0]
        return feats[self.teacher_feature_index], logits

    def loss(self, batch_inputs: Tensor,
             batch_data_samples: SampleList) -> Union[dict, list]:
        """Eq. (11): the student's detection losses plus the two distillation terms."""
        feat_s, logits_s, wh, offset = self._student_outputs(batch_inputs)
        gt_instances, _, img_metas = unpack_gt_instances(batch_data_samples)
        # CenterNetHead.loss_by_feat expects sigmoid heatmaps, as its forward returns
        losses: Dict[str, Tensor] = self.bbox_head.loss_by_feat(
            [logits_s.sigmoid()], [wh], [offset], gt_instances, img_metas)
        if self.loss_pixel is None and self.loss_pair is None:
            return losses
        feat_t, logits_t = self._teacher_outputs(batch_inputs)
        if self.loss_pixel is not None:
            losses['loss_kd_pixel'] = self.loss_pixel(logits_s, logits_t)
        if self.loss_pair is not None:
            losses['loss_kd_pair'] = self.loss_pair(feat_s, feat_t)
        return losses


__all__ = ['DistillationError', 'StructuredKDDistiller']
