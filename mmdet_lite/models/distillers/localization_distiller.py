"""Localization distillation for the EfficientNet-Lite + GFLv2 detector (Table 2 row 5).

The paper adds Zheng et al.'s localization distillation (LD, Sec. 3: "the student network can
solve the problem of location ambiguity similarly to the teacher network") on top of row 4: a
larger teacher of the same family supplies, for every location, its discrete distribution over
each box edge, and the student matches it with a temperature-softened KL divergence.
"""

from typing import Optional, Sequence, Tuple, Union

import torch
from mmdet.models.dense_heads import LDHead
from mmdet.registry import MODELS
from mmdet.structures import SampleList
from mmdet.utils import ConfigType, OptConfigType, OptMultiConfig
from torch import Tensor

from .base_distiller import BaseDistiller, DistillationError


@MODELS.register_module()
class LocalizationDistiller(BaseDistiller):
    """A GFL-family student trained with LD from a frozen GFL-family teacher.

    ``L = L_QFL + L_GIoU + L_DFL + L_LD``: the student's head must be an :class:`LDHead` (for
    GFLv2, :class:`~mmdet_lite.models.dense_heads.GFLv2LDHead`), which computes LD on its positive
    locations from the teacher's edge-distribution logits. The teacher (any detector whose head
    outputs GFL edge distributions: ``GFLHead``, ``GFLv2Head``) runs under ``no_grad`` on the
    student's batch; its levels must match the student's in number, size and ``reg_max``, which is
    checked at start-up with a forward at ``check_shape``. Teacher handling, checkpoints and class
    checks are :class:`BaseDistiller`'s: the saved ``state_dict`` is the student's alone and loads
    strictly into the plain student config (``GFLv2LDHead`` has no parameters of its own).

    Args:
        teacher: ``dict(config=..., checkpoint=...)`` of a trained GFL-family teacher.
        student_classes: the student's class names, checked against the teacher's.
        check_shape: ``(H, W)`` of the start-up shape check (the training input size).
        Other args: as :class:`mmdet.models.detectors.SingleStageDetector`.
    """

    def __init__(self,
                 backbone: ConfigType,
                 bbox_head: ConfigType,
                 teacher: ConfigType,
                 neck: OptConfigType = None,
                 student_classes: Optional[Sequence[str]] = None,
                 check_shape: Tuple[int, int] = (320, 320),
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 data_preprocessor: OptConfigType = None,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(backbone=backbone, neck=neck, bbox_head=bbox_head, train_cfg=train_cfg,
                         test_cfg=test_cfg, data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        if not isinstance(self.bbox_head, LDHead):
            raise DistillationError(
                f'LocalizationDistiller: the student head is {type(self.bbox_head).__name__}; '
                "it must compute the LD loss: use bbox_head=dict(type='GFLv2LDHead', "
                "loss_ld=dict(type='KnowledgeDistillationKLDivLoss', loss_weight=0.25, T=10), "
                '...) (or mmdet\'s LDHead for a GFLv1 student).')
        self._init_teacher(teacher, student_classes)
        t_head = self.teacher.bbox_head
        if getattr(t_head, 'reg_max', None) != self.bbox_head.reg_max:
            raise DistillationError(
                f'The teacher head ({type(t_head).__name__}, reg_max='
                f'{getattr(t_head, "reg_max", None)}) must output GFL edge distributions with the '
                f"student's reg_max={self.bbox_head.reg_max}; use a GFLHead/GFLv2Head teacher "
                'with the same reg_max.')
        self._check_shapes(check_shape)

    @torch.no_grad()
    def _check_shapes(self, shape: Tuple[int, int]) -> None:
        was_training = self.training
        self.eval()
        dummy = torch.zeros(1, 3, *shape)
        s_regs = self.bbox_head(self.extract_feat(dummy))[1]
        t_regs = self.teacher.bbox_head(self.teacher.extract_feat(dummy))[1]
        self.train(was_training)
        s_sizes = [tuple(r.shape[-2:]) for r in s_regs]
        t_sizes = [tuple(r.shape[-2:]) for r in t_regs]
        if s_sizes != t_sizes:
            raise DistillationError(
                f'For a {shape[0]}x{shape[1]} input the student predicts on levels {s_sizes} and '
                f'the teacher on {t_sizes}; LD pairs locations one to one, so both need the same '
                'strides. Check the teacher config and check_shape (the training input size).')

    def loss(self, batch_inputs: Tensor, batch_data_samples: SampleList) -> Union[dict, list]:
        """The student's GFL losses plus LD against the teacher's edge distributions."""
        feats = self.extract_feat(batch_inputs)
        with torch.no_grad():
            t_outs = self.teacher.bbox_head(self.teacher.extract_feat(batch_inputs))
        return self.bbox_head.loss(feats, t_outs, batch_data_samples)


__all__ = ['LocalizationDistiller']
