"""Localization distillation for the EfficientNet-Lite + GFLv2 detector (Table 2 row 5).

The paper adds Zheng et al.'s localization distillation (LD, Sec. 3: "the student network can
solve the problem of location ambiguity similarly to the teacher network") on top of row 4: a
larger teacher of the same family supplies, for every location, its discrete distribution over
each box edge, and the student matches it with a temperature-softened KL divergence.
"""

from typing import Tuple

from mmdet.models.dense_heads import LDHead
from mmdet.registry import MODELS
from mmdet.structures import SampleList
from mmdet.utils import ConfigType
from torch import Tensor

from .base_distiller import BaseDistiller, DistillationError


@MODELS.register_module()
class LocalizationDistiller(BaseDistiller):
    """A GFL-family student trained with LD from a frozen GFL-family teacher.

    ``L = L_QFL + L_GIoU + L_DFL + L_LD``: the student's head must be an :class:`LDHead` (for
    GFLv2, :class:`~mmdet_lite.models.dense_heads.GFLv2LDHead`), which computes LD on its positive
    locations from the teacher's edge-distribution logits. This is mmdet's
    ``KnowledgeDistillationSingleStageDetector`` (teacher head outputs passed to
    ``bbox_head.loss``) with :class:`BaseDistiller`'s teacher handling: strict weights-only
    loading, class checks, and a ``state_dict`` that is the student's alone and loads strictly
    into the plain student config (``GFLv2LDHead`` has no parameters of its own). The teacher
    (any detector whose head outputs GFL edge distributions: ``GFLHead``, ``GFLv2Head``) must
    match the student's ``reg_max`` (checked at construction) and predict on the same levels
    (checked on the first batch).

    Args:
        teacher: ``dict(config=..., checkpoint=...)`` of a trained GFL-family teacher.
        Other args: as :class:`mmdet.models.detectors.SingleStageDetector`.
    """

    def __init__(self, backbone: ConfigType, bbox_head: ConfigType, teacher: ConfigType,
                 **kwargs) -> None:
        super().__init__(backbone=backbone, bbox_head=bbox_head, teacher=teacher, **kwargs)
        if not isinstance(self.bbox_head, LDHead):
            raise DistillationError(
                f'LocalizationDistiller: the student head is {type(self.bbox_head).__name__}; '
                "it must compute the LD loss: use bbox_head=dict(type='GFLv2LDHead', "
                "loss_ld=dict(type='KnowledgeDistillationKLDivLoss', loss_weight=0.25, T=10), "
                '...) (or mmdet\'s LDHead for a GFLv1 student).')
        t_head = self.teacher.bbox_head
        if getattr(t_head, 'reg_max', None) != self.bbox_head.reg_max:
            raise DistillationError(
                f'The teacher head ({type(t_head).__name__}, reg_max='
                f'{getattr(t_head, "reg_max", None)}) must output GFL edge distributions with the '
                f"student's reg_max={self.bbox_head.reg_max}; use a GFLHead/GFLv2Head teacher "
                'with the same reg_max.')

    def student_outputs(self, inputs: Tensor) -> Tuple[Tensor, ...]:
        """The student's neck features (its head runs inside ``LDHead.loss``)."""
        return self.extract_feat(inputs)

    def teacher_outputs(self, inputs: Tensor) -> tuple:
        """The teacher head's outputs: class scores and edge-distribution logits per level."""
        return self.teacher.bbox_head(self.teacher.extract_feat(inputs))

    def check_pairs(self, student: Tuple[Tensor, ...], teacher: tuple,
                    input_shape: Tuple[int, int]) -> None:
        # GFL heads predict at their input features' size, level by level
        self.check_sizes('prediction levels', [f.shape[-2:] for f in student],
                         [r.shape[-2:] for r in teacher[1]], input_shape,
                         'LD pairs locations one to one, so both need the same strides; check '
                         'the teacher config.')

    def distill_loss(self, student: Tuple[Tensor, ...], teacher: tuple,
                     batch_data_samples: SampleList) -> dict:
        """The student's GFL losses plus LD against the teacher's edge distributions."""
        return self.bbox_head.loss(student, teacher, batch_data_samples)


__all__ = ['LocalizationDistiller']
