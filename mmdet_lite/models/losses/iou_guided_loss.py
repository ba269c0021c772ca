"""RefineDetLite's ODM classification loss: Eq. (2), IoU-guided labels and weights Eq. (3)-(4)."""

from typing import Optional, Sequence, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmdet.registry import MODELS
from torch import Tensor

from .class_weights_mixin import ClassWeightsMixin


def iou_guided_soft_labels(labels: Tensor, ious: Tensor, num_classes: int,
                           alpha: float = 0.25) -> Tensor:
    """Soft labels of RefineDetLite Eq. (3), in mmdet's label order (background = ``num_classes``).

    For anchor j with hard label t_j and post-regression IoU ``IoU_j``:
    ``y_{j,t_j} = 1 - alpha * (1 - IoU_j)`` for a positive, ``1 - alpha * IoU_j`` for a negative
    (``t_j`` = background); the other ``num_classes`` entries share the rest equally,
    ``(1 - y_{j,t_j}) / num_classes``, so each row sums to 1 (the paper's ``/(K - 1)`` with its K
    counting the background).

    Args:
        labels: ``[n]`` hard labels in ``[0, num_classes]``.
        ious: ``[n]`` IoU in [0, 1] of the regressed box with its (pre-)assigned ground truth.
        num_classes: foreground classes.
        alpha: softening factor.

    Returns:
        Tensor: ``[n, num_classes + 1]`` soft labels.
    """
    ious = ious.clamp(0, 1).to(torch.float32)
    pos = labels < num_classes
    y_t = torch.where(pos, 1 - alpha * (1 - ious), 1 - alpha * ious)
    target = ((1 - y_t) / num_classes)[:, None].repeat(1, num_classes + 1)
    target.scatter_(1, labels[:, None].long(), y_t[:, None])
    return target


def iou_guided_anchor_weights(labels: Tensor, ious: Tensor, num_classes: int,
                              beta: float = 0.9) -> Tensor:
    """Anchor weights of RefineDetLite Eq. (4): ``eta_j = 1 / (1 + beta (IoU_j - 1) 1[t_j > 0])``.

    A positive regressed to IoU 1 gets 1, one at IoU 0 gets ``1 / (1 - beta)``; negatives get 1.
    """
    if not 0 <= beta < 1:
        raise ValueError(f'iou_guided_anchor_weights: beta must be in [0, 1), got {beta}')
    pos = (labels < num_classes).to(torch.float32)
    return 1.0 / (1.0 + beta * (ious.clamp(0, 1).to(torch.float32) - 1.0) * pos)


@MODELS.register_module()
class IoUGuidedCrossEntropyLoss(ClassWeightsMixin, nn.Module):
    """Per-anchor classification loss of RefineDetLite Eq. (2), with Eq. (3)-(5) as options.

    ``L_j = eta_j * sum_i w_i * y_ji * log(y_ji / softmax(x_j)_i)``

    - ``iou_guided=False``: y one-hot and eta = 1, i.e. plain softmax cross-entropy (the basic
      configuration, Sec. 5.1);
    - ``iou_guided=True``: y from Eq. (3) (``alpha``), eta from Eq. (4) (``beta``); needs ``ious``;
    - ``class_weights``: w of Eq. (5) for the foreground classes (background weight 1): ``None``
      (ones), a list of ``num_classes`` floats, or ``'auto'`` (set by
      :class:`ClassBalancedWeightsHook` from the training set's box counts; Eq. (5) is the same
      formula as Mobile CenterNet's Eq. (4)).

    Two readings of where ``w`` applies (``class_weight_mode``):

    - ``'entry'``, Eq. (2) as printed: ``w_i`` multiplies each entry ``i`` of the soft target.
      The minimiser of the loss is then ``p_i`` proportional to ``w_i * y_i``, not ``y_i``: with
      the soft labels of Eq. (3), every anchor near an object is trained towards the rare classes
      (on a 4-class set with weights up to 10 and alpha 0.25, a negative at IoU 0.6 towards
      background 0.58 and the rarest class 0.26). On COCO's 80 classes that mass is spread to
      about 0.014 per class, which is why it goes unnoticed there;
    - ``'target'``: each anchor's loss is scaled by the weight of its own target class,
      ``w_{t_j}`` (background 1), the usual class-weighted cross-entropy. Its minimiser is the
      target distribution itself; with one-hot targets both readings coincide.

    The loss is returned per anchor (``reduction='none'``): the head mines hard negatives on it and
    normalises by the number of positives. ``y log y`` is included, so a perfect prediction has
    loss 0; it carries no gradient.
    """

    def __init__(self,
                 iou_guided: bool = False,
                 alpha: float = 0.25,
                 beta: float = 0.9,
                 class_weights: Union[None, str, Sequence[float]] = None,
                 class_weight_mode: str = 'entry',
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if class_weight_mode not in ('entry', 'target'):
            raise ValueError("IoUGuidedCrossEntropyLoss: class_weight_mode must be 'entry' "
                             f"(Eq. 2 as printed) or 'target', got {class_weight_mode!r}")
        self._init_class_weights(class_weights)
        self.class_weight_mode = class_weight_mode
        self.iou_guided = iou_guided
        self.alpha = alpha
        self.beta = beta
        self.loss_weight = loss_weight

    def forward(self, cls_score: Tensor, labels: Tensor,
                ious: Optional[Tensor] = None) -> Tensor:
        """Per-anchor loss ``[n]`` for logits ``[n, K + 1]`` and labels ``[n]`` (K = background)."""
        num_classes = cls_score.shape[1] - 1
        if self.auto_weights and self.class_weights is None:
            raise RuntimeError(
                "IoUGuidedCrossEntropyLoss(class_weights='auto') has no weights yet: add "
                "dict(type='ClassBalancedWeightsHook', W=10, gamma=0.75) to custom_hooks, or give "
                'the weights as a list.')
        log_p = F.log_softmax(cls_score.float(), dim=1)
        if self.iou_guided:
            if ious is None:
                raise ValueError('IoUGuidedCrossEntropyLoss(iou_guided=True) needs the IoUs of '
                                 'the regressed boxes')
            target = iou_guided_soft_labels(labels, ious, num_classes, self.alpha)
            eta = iou_guided_anchor_weights(labels, ious, num_classes, self.beta)
        else:
            target = F.one_hot(labels.long(), num_classes + 1).float()
            eta = None
        per_class = torch.xlogy(target, target) - target * log_p
        if self.class_weights is not None:
            if self.class_weights.numel() != num_classes:
                raise ValueError(f'IoUGuidedCrossEntropyLoss: {self.class_weights.numel()} class '
                                 f'weights for {num_classes} classes')
            w = torch.cat([self.class_weights.to(log_p), log_p.new_ones(1)])
            if self.class_weight_mode == 'entry':
                per_class = per_class * w
        loss = per_class.sum(1)
        if self.class_weights is not None and self.class_weight_mode == 'target':
            loss = loss * w[labels.long()]
        if eta is not None:
            loss = loss * eta
        return self.loss_weight * loss
