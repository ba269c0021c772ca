"""GFLv2 head: GFL with the Distribution-Guided Quality Predictor (Li et al., GFLv2, CVPR 2021).

The EfficientNet-Lite detector's head (Sec. 3, Table 2 rows 4-5). mmdet 3.3 has GFLv1
(:class:`~mmdet.models.dense_heads.GFLHead`: QFL on a joint class-quality score, DFL on a discrete
distribution per box edge, GIoU, ATSS assignment); GFLv2 adds the DGQP: the top-k probabilities of
each edge's distribution and their mean (4 x (k + 1) statistics: a sharp distribution means a
confident box) go through two 1x1 convs and a sigmoid to a quality ``q`` in (0, 1), and the
classification score becomes ``J = sigmoid(cls) * q``.

GFLHead's losses and post-processing read logits and apply a sigmoid; this head returns the
logit of ``J`` (computed exactly, see :func:`joint_logit`), so that ``sigmoid`` of its output is
exactly ``J`` and mmdet's QFL, DFL, GIoU, ATSS, prediction and :class:`LDHead`'s localization
distillation apply unchanged: QFL on ``logit(J)`` with a sigmoid equals GFLv2's QFL on the
probability ``J``.
"""

from typing import Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import Scale
from mmdet.models.dense_heads import GFLHead
from mmdet.registry import MODELS
from torch import Tensor


def joint_logit(cls_logit: Tensor, quality_logit: Tensor) -> Tensor:
    """``logit(sigmoid(a) * sigmoid(b))`` for ``a = cls_logit``, ``b = quality_logit``.

    With ``J = sigmoid(a) sigmoid(b)``: ``(1 - J) / J = e^-a + e^-b + e^-(a+b)``, so
    ``logit(J) = -logsumexp(-a, -b, -a - b)``: exact, finite for any inputs, and made of
    operators ONNX and TensorRT support.
    """
    a = cls_logit.float()
    b = quality_logit.float().expand_as(a)
    return -torch.logsumexp(torch.stack([-a, -b, -(a + b)]), dim=0)


@MODELS.register_module()
class GFLv2Head(GFLHead):
    """GFL head whose classification score is multiplied by the DGQP quality (GFLv2, Sec. 3).

    Args:
        reg_topk: top-k probabilities taken from each edge distribution (GFLv2: 4).
        reg_channels: hidden channels of the DGQP's two 1x1 convs (GFLv2: 64).
        add_mean: append the mean of the top-k to each edge's statistics (GFLv2: True).
        Other args: as :class:`mmdet.models.dense_heads.GFLHead`.
    """

    def __init__(self, num_classes: int, in_channels: int, reg_topk: int = 4,
                 reg_channels: int = 64, add_mean: bool = True, **kwargs) -> None:
        reg_max = kwargs.get('reg_max', 16)
        if not 1 <= reg_topk <= reg_max + 1:
            raise ValueError(f'GFLv2Head: reg_topk={reg_topk} must be in 1..reg_max + 1 = '
                             f'{reg_max + 1} (bins per edge distribution)')
        self.reg_topk = reg_topk
        self.reg_channels = reg_channels
        self.add_mean = add_mean
        self.stat_channels = 4 * (reg_topk + int(add_mean))
        super().__init__(num_classes, in_channels, **kwargs)

    def _init_layers(self) -> None:
        super()._init_layers()
        # DGQP; the sigmoid is applied in joint_logit (as a log-sigmoid)
        self.reg_conf = nn.Sequential(
            nn.Conv2d(self.stat_channels, self.reg_channels, 1), nn.ReLU(inplace=True),
            nn.Conv2d(self.reg_channels, 1, 1))

    def distribution_statistics(self, bbox_pred: Tensor) -> Tensor:
        """DGQP input: top-k (and mean) of each edge's softmax, ``[N, 4 (k + 1), H, W]``."""
        n, _, h, w = bbox_pred.shape
        prob = F.softmax(bbox_pred.reshape(n, 4, self.reg_max + 1, h, w), dim=2)
        stats = prob.topk(self.reg_topk, dim=2).values
        if self.add_mean:
            stats = torch.cat([stats, stats.mean(dim=2, keepdim=True)], dim=2)
        return stats.reshape(n, self.stat_channels, h, w)

    def forward_single_parts(self, x: Tensor, scale: Scale) -> Tuple[Tensor, Tensor, Tensor]:
        """Class logits, DGQP quality logits ``[N, 1, H, W]`` and edge distribution logits."""
        cls_logit, bbox_pred = super().forward_single(x, scale)
        quality_logit = self.reg_conf(self.distribution_statistics(bbox_pred))
        return cls_logit, quality_logit, bbox_pred

    def forward_single(self, x: Tensor, scale: Scale) -> Sequence[Tensor]:
        """``logit(J)`` with ``J = sigmoid(cls) * q`` (``[N, C, H, W]``) and the box logits."""
        cls_logit, quality_logit, bbox_pred = self.forward_single_parts(x, scale)
        return joint_logit(cls_logit, quality_logit), bbox_pred
