"""GFLv2 head trained with localization distillation (Zheng et al., LD, CVPR 2022).

The student head of Table 2 row 5 (EfficientNet-Lite + GFLv2 + LD). It is :class:`GFLv2Head`
with the loss of mmdet's :class:`~mmdet.models.dense_heads.LDHead`: on every positive location,
the KL divergence between the teacher's and the student's softened edge distributions
(``KnowledgeDistillationKLDivLoss``, temperature ``T``), weighted like DFL by the student's score.
It has no parameters of its own, so its weights load strictly into a plain :class:`GFLv2Head`.
Train it with :class:`~mmdet_lite.models.distillers.LocalizationDistiller`, which supplies the
teacher's distributions.
"""

from typing import Dict, List

import torch
from mmdet.models.dense_heads import LDHead
from mmdet.models.utils import multi_apply
from mmdet.registry import MODELS
from mmdet.utils import InstanceList, OptInstanceList, reduce_mean
from torch import Tensor

from .gflv2_head import GFLv2Head


@MODELS.register_module()
class GFLv2LDHead(GFLv2Head, LDHead):
    """:class:`GFLv2Head` forward + :class:`LDHead` losses (QFL, GIoU, DFL and LD).

    Args:
        loss_ld: the LD loss (mmdet's ``KnowledgeDistillationKLDivLoss``, e.g.
            ``loss_weight=0.25, T=10`` as mmdet's LD configs).
        ld_norm: how the LD term is normalised.

            - ``'reference'`` (default; mmdet's ``LDHead`` and the official LD code): the
              score-weighted KL, *averaged over the reg_max + 1 bins*, summed over the positive
              edges of the batch / 4, not normalised. It grows with the batch (the reference
              setting is 2 images per GPU, averaged over GPUs) and shrinks with the bin count
              (17 bins in the reference, 8 here), unlike GIoU and DFL beside it.
            - ``'positives'``: the KL summed over the bins (the divergence itself) and divided
              by the same factor as GIoU and DFL, the sum of the positives' score weights
              (all-reduced), so that it is a mean per positive, independent of batch size and
              bin count.

            The default is the reference one, the published LD recipe (how the two compare on
            the synthetic benchmark: ``configs/effnet_gfl/README.md``). Prefer ``'positives'``
            when the per-GPU batch or ``reg_max`` is far from the reference's (2 images, 16).
        Other args: as :class:`GFLv2Head`.
    """

    LD_NORMS = ('reference', 'positives')

    def __init__(self, *args, ld_norm: str = 'reference', **kwargs) -> None:
        if ld_norm not in self.LD_NORMS:
            raise ValueError(f'GFLv2LDHead: ld_norm must be one of {self.LD_NORMS}, got '
                             f'{ld_norm!r}')
        super().__init__(*args, **kwargs)
        self.ld_norm = ld_norm

    def loss_by_feat(self,
                     cls_scores: List[Tensor],
                     bbox_preds: List[Tensor],
                     batch_gt_instances: InstanceList,
                     batch_img_metas: List[dict],
                     soft_targets: List[Tensor],
                     batch_gt_instances_ignore: OptInstanceList = None) -> Dict[str, List[Tensor]]:
        """:class:`LDHead`'s losses per level, LD normalised by ``ld_norm``.

        ``LDHead.loss_by_feat_single`` returns each level's sum of positive score weights as
        its last output; the sum over the levels (all-reduced) normalises GIoU and DFL, as
        LDHead's, and with ``ld_norm='positives'`` LD too. Nothing is kept on the head between
        levels or calls, so the losses may be computed any number of times, or re-entrantly.
        """
        featmap_sizes = [featmap.size()[-2:] for featmap in cls_scores]
        device = cls_scores[0].device
        anchor_list, valid_flag_list = self.get_anchors(featmap_sizes, batch_img_metas,
                                                        device=device)
        (anchor_list, labels_list, label_weights_list, bbox_targets_list, _,
         num_pos) = self.get_targets(anchor_list, valid_flag_list, batch_gt_instances,
                                     batch_img_metas,
                                     batch_gt_instances_ignore=batch_gt_instances_ignore)
        num_pos = reduce_mean(torch.tensor(num_pos, dtype=torch.float, device=device)).item()
        losses_cls, losses_bbox, losses_dfl, losses_ld, weight_sums = multi_apply(
            self.loss_by_feat_single, anchor_list, cls_scores, bbox_preds, labels_list,
            label_weights_list, bbox_targets_list, self.prior_generator.strides, soft_targets,
            avg_factor=num_pos)
        weight_sum = reduce_mean(sum(weight_sums) + 1e-6).item()
        if self.ld_norm == 'positives':
            # the KL summed over the bins (LD's loss averages them), per unit score weight
            losses_ld = [loss * (self.reg_max + 1) / weight_sum for loss in losses_ld]
        return dict(loss_cls=losses_cls,
                    loss_bbox=[loss / weight_sum for loss in losses_bbox],
                    loss_dfl=[loss / weight_sum for loss in losses_dfl],
                    loss_ld=losses_ld)
