"""Pixel-wise distillation of heatmaps (Mobile CenterNet Sec. 3.2, Eq. 8)."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmdet.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class PixelwiseKLLoss(nn.Module):
    """KL divergence between teacher and student heatmaps at every pixel, Eq. (8).

    The loss is ``tau^2 * mean_b sum_i KL(P_t(i) || P_s(i)) / (H * W)``: the teacher is the target
    distribution, as in the official structured-KD code (the paper writes the arguments the other
    way round). The teacher logits are detached. Two readings of ``P(i)`` (``mode``):

    - ``'softmax'``: the class distribution ``softmax_c(logits[:, c, i] / tau)``, as in the
      structured-KD code for segmentation, where every pixel has exactly one class. On CenterNet's
      sigmoid heatmaps it is blind to the absolute logit level, i.e. to object vs background; on
      the background pixels (nearly all) the teacher's class distribution is near uniform, so the
      term's gradient is small against the detection gradient (``tools/analyze_loss_gradients.py``
      measures it);
    - ``'bernoulli'``: each class channel is its own Bernoulli ``sigmoid(logits[:, c, i] / tau)``,
      the quantity a CenterNet heatmap encodes, and the per-class KLs are summed over classes.

    Args:
        tau: temperature; the ``tau^2`` factor keeps gradient magnitudes comparable across
            temperatures (Hinton et al.).
        mode: ``'softmax'`` or ``'bernoulli'``.
        loss_weight: lambda_pi of Eq. (11) (0.1 in the paper).
    """

    def __init__(self, tau: float = 1.0, mode: str = 'softmax',
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if tau <= 0:
            raise ValueError(f'PixelwiseKLLoss: tau must be > 0, got {tau}')
        if mode not in ('softmax', 'bernoulli'):
            raise ValueError("PixelwiseKLLoss: mode must be 'softmax' (class distribution) or "
                             f"'bernoulli' (per-class sigmoid), got {mode!r}")
        self.tau = float(tau)
        self.mode = mode
        self.loss_weight = float(loss_weight)

    def forward(self, logits_s: Tensor, logits_t: Tensor) -> Tensor:
        """Loss for heatmap logits ``[B, C, H, W]`` of the student and the teacher."""
        if logits_s.shape != logits_t.shape:
            raise ValueError('PixelwiseKLLoss: student and teacher heatmaps must have the same '
                             f'shape [B, C, H, W], got {tuple(logits_s.shape)} and '
                             f'{tuple(logits_t.shape)}')
        b, _, h, w = logits_s.shape
        z_s, z_t = logits_s.float() / self.tau, logits_t.detach().float() / self.tau
        if self.mode == 'softmax':
            log_p_s, log_p_t = F.log_softmax(z_s, dim=1), F.log_softmax(z_t, dim=1)
            kl = (log_p_t.exp() * (log_p_t - log_p_s)).sum()
        else:
            # log sigmoid(z) and log(1 - sigmoid(z)) = log sigmoid(-z), stable for any logit
            p_t = torch.sigmoid(z_t)
            kl = (p_t * (F.logsigmoid(z_t) - F.logsigmoid(z_s))
                  + (1 - p_t) * (F.logsigmoid(-z_t) - F.logsigmoid(-z_s))).sum()
        loss = kl / (b * h * w) * self.tau ** 2
        return self.loss_weight * loss.to(logits_s.dtype)


__all__ = ['PixelwiseKLLoss']
