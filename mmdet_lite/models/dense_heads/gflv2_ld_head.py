"""GFLv2 head trained with localization distillation (Zheng et al., LD, CVPR 2022).

The student head of Table 2 row 5 (EfficientNet-Lite + GFLv2 + LD). It is :class:`GFLv2Head`
with the loss of mmdet's :class:`~mmdet.models.dense_heads.LDHead`: on every positive location,
the KL divergence between the teacher's and the student's softened edge distributions
(``KnowledgeDistillationKLDivLoss``, temperature ``T``), weighted like DFL by the student's score.
It has no parameters of its own, so its weights load strictly into a plain :class:`GFLv2Head`.
Train it with :class:`~mmdet_lite.models.distillers.LocalizationDistiller`, which supplies the
teacher's distributions.
"""

from mmdet.models.dense_heads import LDHead
from mmdet.registry import MODELS

from .gflv2_head import GFLv2Head


@MODELS.register_module()
class GFLv2LDHead(GFLv2Head, LDHead):
    """:class:`GFLv2Head` forward + :class:`LDHead` losses (QFL, GIoU, DFL and LD).

    Args:
        loss_ld: the LD loss (mmdet's ``KnowledgeDistillationKLDivLoss``, e.g.
            ``loss_weight=0.25, T=10`` as mmdet's LD configs).
        Other args: as :class:`GFLv2Head`.
    """
