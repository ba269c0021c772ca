"""Structured knowledge distillation for Mobile CenterNet (Sec. 3.2, Eq. 8-11, Fig. 2)."""

from typing import Dict, Optional, Tuple

from mmdet.models.utils import unpack_gt_instances
from mmdet.registry import MODELS
from mmdet.structures import SampleList
from mmdet.utils import ConfigType, OptConfigType
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
    ``state_dict()``, ``parameters()`` (hence not in the optimizer) or DDP (see
    :class:`BaseDistiller`).

    Args:
        teacher: ``dict(config=..., checkpoint=...)``. The config path resolves from the working
            directory, the repo root or the installed package. The checkpoint must exist.
        loss_pixel: config of the pixel-wise loss (``None`` to disable).
        loss_pair: config of the pair-wise loss (``None`` to disable).
        teacher_feature_index: teacher backbone output for ``L_pa`` (default: the teacher
            head's ``in_index``).
        Other args: as :class:`mmdet.models.detectors.SingleStageDetector`.
    """

    def __init__(self,
                 backbone: ConfigType,
                 bbox_head: ConfigType,
                 teacher: ConfigType,
                 loss_pixel: OptConfigType = dict(type='PixelwiseKLLoss', tau=1.0,
                                                  loss_weight=0.1),
                 loss_pair: OptConfigType = dict(type='PairwiseSimilarityLoss', loss_weight=10.0),
                 teacher_feature_index: Optional[int] = None,
                 **kwargs) -> None:
        super().__init__(backbone=backbone, bbox_head=bbox_head, teacher=teacher, **kwargs)
        self.loss_pixel = MODELS.build(loss_pixel) if loss_pixel else None
        self.loss_pair = MODELS.build(loss_pair) if loss_pair else None
        self.teacher_feature_index = (self.teacher.bbox_head.in_index
                                      if teacher_feature_index is None else teacher_feature_index)

    def uses_teacher(self) -> bool:
        return self.loss_pixel is not None or self.loss_pair is not None

    def student_outputs(self, inputs: Tensor) -> Tuple[Tensor, Tensor, Tensor, Tensor]:
        """The head's input feature, heatmap logits, size and offset maps."""
        feats = self.extract_feat(inputs)
        logits, wh, offset = self.bbox_head.forward_logits(feats)
        return feats[self.bbox_head.in_index], logits, wh, offset

    def teacher_outputs(self, inputs: Tensor) -> Tuple[Tensor, Tensor]:
        """The teacher's ``teacher_feature_index`` feature and heatmap logits."""
        feats = self.teacher.extract_feat(inputs)
        logits = self.teacher.bbox_head.forward_logits(feats)[0]
        return feats[self.teacher_feature_index], logits

    def check_pairs(self, student: tuple, teacher: tuple, input_shape: Tuple[int, int]) -> None:
        (s_feat, s_logits), (t_feat, t_logits) = student[:2], teacher
        self.check_sizes('feature map and heatmap', [s_feat.shape[-2:], s_logits.shape[1:]],
                         [t_feat.shape[-2:], t_logits.shape[1:]], input_shape,
                         'Check the teacher config (same output stride and branch) and '
                         'teacher_feature_index.')

    def distill_loss(self, student: tuple, teacher: Optional[tuple],
                     batch_data_samples: SampleList) -> Dict[str, Tensor]:
        """Eq. (11): the student's detection losses plus the two distillation terms."""
        feat_s, logits_s, wh, offset = student
        gt_instances, _, img_metas = unpack_gt_instances(batch_data_samples)
        # CenterNetHead.loss_by_feat expects sigmoid heatmaps, as its forward returns
        losses: Dict[str, Tensor] = self.bbox_head.loss_by_feat(
            [logits_s.sigmoid()], [wh], [offset], gt_instances, img_metas)
        if teacher is None:
            return losses
        feat_t, logits_t = teacher
        if self.loss_pixel is not None:
            losses['loss_kd_pixel'] = self.loss_pixel(logits_s, logits_t)
        if self.loss_pair is not None:
            losses['loss_kd_pair'] = self.loss_pair(feat_s, feat_t)
        return losses


__all__ = ['DistillationError', 'StructuredKDDistiller']
