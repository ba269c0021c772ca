"""Pixel-wise distillation of heatmaps (Mobile CenterNet Sec. 3.2, Eq. 8)."""

import torch.nn as nn
import torch.nn.functional as F
from mmdet.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class PixelwiseKLLoss(nn.Module):
    """KL divergence between teacher and student class distributions at every pixel, Eq. (8).

    At pixel ``i`` the class distribution is ``P(i) = softmax_c(logits[:, c, i] / tau)``. The loss
    is ``tau^2 * mean_b sum_i KL(P_t(i) || P_s(i)) / (H * W)``: the teacher is the target
    distribution, as in the official structured-KD code (the paper writes the arguments the other
    way round). The teacher logits are detached.

    Args:
        tau: softmax temperature; the ``tau^2`` factor keeps gradient magnitudes comparable
            across temperatures (Hinton et al.).
        loss_weight: lambda_pi of Eq. (11) (0.1 in the paper).
    """

    def __init__(self, tau: float = 1.0, loss_weight: float = 1.0) -> None:
        super().__init__()
        if tau <= 0:
            raise ValueError(f'PixelwiseKLLoss: tau must be > 0, got {tau}')
        self.tau = float(tau)
        self.loss_weight = float(loss_weight)

    def forward(self, logits_s: Tensor, logits_t: Tensor) -> Tensor:
        """Loss for heatmap logits ``[B, C, H, W]`` of the student and the teacher."""
        if logits_s.shape != logits_t.shape:
            raise ValueError('PixelwiseKLLoss: student and teacher heatmaps must have the same '
                             f'shape [B, C, H, W], got {tuple(logits_s.shape)} and '
                             f'{tuple(logits_t.shape)}')
        b, _, h, w = logits_s.shape
        log_p_s = F.log_softmax(logits_s.float() / self.tau, dim=1)
        log_p_t = F.log_softmax(logits_t.detach().float() / self.tau, dim=1)
        kl = (log_p_t.exp() * (log_p_t - log_p_s)).sum()
        loss = kl / (b * h * w) * self.tau ** 2
        return self.loss_weight * loss.to(logits_s.dtype)


__all__ = ['PixelwiseKLLoss']
