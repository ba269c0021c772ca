"""Category-balanced focal loss of Mobile CenterNet (Eq. 3) and its class weights (Eq. 4)."""

from typing import Optional, Sequence, Union

import torch
import torch.nn as nn
from mmdet.models.losses.utils import weight_reduce_loss
from mmdet.registry import MODELS
from torch import Tensor

from .class_weights_mixin import ClassWeightsMixin

EPS = 1e-12  # same guard as mmdet's GaussianFocalLoss, so both agree bit for bit


def class_balanced_weights(counts: Union[Sequence[float], Tensor],
                           W: float = 10.0,
                           gamma: float = 0.75) -> Tensor:
    """Class weights of Mobile CenterNet Eq. (4).

    ``w_c = (W - 1) / (r_max^gamma - 1) * (r_c^gamma - 1) + 1`` with ``r_c = M_max / M_c`` and
    ``r_max = M_max / M_min``: the most frequent class gets 1, the rarest W.

    Degenerate inputs stay defined (never NaN):

    - all non-empty classes have the same count (``r_max = 1``): every class gets 1;
    - a class with zero boxes gets W (it is at least as rare as the rarest); ``M_min`` is taken over
      the non-empty classes;
    - no boxes at all: every class gets 1.

    Args:
        counts: number of labelled boxes per class, ``[C]``.
        W: weight of the rarest class.
        gamma: exponent applied to the frequency ratios.

    Returns:
        Tensor: float32 weights of shape ``[C]``.
    """
    counts = torch.as_tensor(counts, dtype=torch.float64).flatten()
    if counts.numel() == 0:
        raise ValueError('class_balanced_weights needs at least one class count')
    if (counts < 0).any():
        raise ValueError(f'class counts must be >= 0, got {counts.tolist()}')
    weights = torch.ones_like(counts)
    present = counts > 0
    if not present.any():
        return weights.float()
    m_max = counts[present].max()
    m_min = counts[present].min()
    weights[~present] = W
    if m_max > m_min:
        r_max_g = (m_max / m_min) ** gamma
        r_c_g = (m_max / counts[present]) ** gamma
        weights[present] = (W - 1.0) / (r_max_g - 1.0) * (r_c_g - 1.0) + 1.0
    return weights.float()


@MODELS.register_module()
class ClassBalancedFocalLoss(ClassWeightsMixin, nn.Module):
    """Category-balanced focal loss for CenterNet heatmaps, Mobile CenterNet Eq. (3).

    ``L_k = -1/N sum_xyc w_c * {(1 - p)^alpha log p                  if H = 1
                                (1 - H)^beta p^alpha log(1 - p)      otherwise}``

    With ``class_weights=None`` (all ones) it equals mmdet's ``GaussianFocalLoss``.
    ``class_weights='auto'`` leaves the weights to :class:`ClassBalancedWeightsHook`, which computes
    Eq. (4) from the training annotations before training starts.

    Two readings of where ``w_c`` applies (``weight_negatives``):

    - ``True``, Eq. (3) as printed: ``w_c`` multiplies both cases, so every pixel of class c's
      channel, the (nearly all) negative ones included, is scaled by ``w_c``;
    - ``False`` (default): ``w_c`` scales the positive term only and negatives keep weight 1. The
      paper takes its weights "the same as [24]" (Sec. 3.1), and [24] (RefineDetLite Eq. 5) gives
      the background weight 1. Weighting the whole channel makes the heatmap loss of a 1 / 1.96 /
      3.64 / 10-weighted 4-class set about 4x larger against the size and offset losses, and the
      most frequent class's share of the shared head's gradient falls accordingly.

    Both readings are ablation rows of the Mobile CenterNet method page (README), with results.

    Args:
        alpha: focusing exponent on the prediction.
        beta: exponent of the Gaussian penalty reduction on negatives.
        class_weights: ``None`` (ones), a sequence of C floats, or ``'auto'``.
        weight_negatives: apply ``w_c`` to the negative term too (Eq. 3 as printed;
            default False, the background-weight-1 reading).
        loss_weight: multiplier of the loss.
        reduction: ``'none'``, ``'mean'`` or ``'sum'``; with ``avg_factor`` (the number of keypoints
            N) ``'mean'`` divides the sum by it.
    """

    def __init__(self,
                 alpha: float = 2.0,
                 beta: float = 4.0,
                 class_weights: Union[None, str, Sequence[float]] = None,
                 weight_negatives: bool = False,
                 loss_weight: float = 1.0,
                 reduction: str = 'mean') -> None:
        super().__init__()
        self._init_class_weights(class_weights)
        self.weight_negatives = weight_negatives
        self.alpha = alpha
        self.beta = beta
        self.loss_weight = loss_weight
        self.reduction = reduction

    def forward(self,
                pred: Tensor,
                target: Tensor,
                avg_factor: Optional[Union[int, float, Tensor]] = None,
                reduction_override: Optional[str] = None) -> Tensor:
        """Compute the loss.

        Args:
            pred: heatmap probabilities ``[B, C, H, W]`` (after the sigmoid).
            target: Gaussian heatmap ``[B, C, H, W]``; positives are ``target == 1``.
            avg_factor: the number of keypoints N.
            reduction_override: overrides ``reduction``.
        """
        if self.auto_weights and self.class_weights is None:
            raise RuntimeError(
                "ClassBalancedFocalLoss(class_weights='auto') has no weights yet: add "
                "dict(type='ClassBalancedWeightsHook') to custom_hooks, or give the weights "
                'explicitly as a list.')
        reduction = reduction_override if reduction_override else self.reduction
        pos = target.eq(1)
        pos_loss = -(pred + EPS).log() * (1 - pred).pow(self.alpha)
        neg_loss = -(1 - pred + EPS).log() * pred.pow(self.alpha) * (1 - target).pow(self.beta)
        loss = torch.where(pos, pos_loss, neg_loss)
        if self.class_weights is not None:
            if self.class_weights.numel() != pred.size(1):
                raise ValueError(f'ClassBalancedFocalLoss has {self.class_weights.numel()} class '
                                 f'weights but the heatmap has {pred.size(1)} channels')
            w = self.class_weights.to(loss.dtype).view(1, -1, *([1] * (pred.dim() - 2)))
            loss = loss * (w if self.weight_negatives else torch.where(pos, w, 1.0))
        return self.loss_weight * weight_reduce_loss(
            loss, None, reduction=reduction, avg_factor=avg_factor)
