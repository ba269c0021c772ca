"""Attention-guided feature imitation (attention-guided KD for SSD, Sec. 2.2-2.3, Eq. 1, 2, 5)."""

from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmdet.registry import MODELS
from torch import Tensor


def attention_weights(losses: Tensor, w_max: float = 15.0, alpha: float = 0.05,
                      beta: float = 2.0) -> Tensor:
    """Eq. (1): ``w_k = min(w_max, alpha * (1 - exp(-l_k))^beta * l_k)``, elementwise.

    ``losses`` are the student's per-sample classification losses (non-negative); the result
    carries no gradient.
    """
    losses = losses.detach()
    return (alpha * (-torch.expm1(-losses)).pow(beta) * losses).clamp(max=w_max)


def _cell_centres(featmap_size: Tuple[int, int], stride: Union[float, Sequence[float]],
                  device: torch.device, dtype: torch.dtype) -> Tuple[Tensor, Tensor]:
    sw, sh = (stride, stride) if isinstance(stride, (int, float)) else stride
    h, w = featmap_size
    cy = (torch.arange(h, device=device, dtype=dtype) + 0.5) * sh
    cx = (torch.arange(w, device=device, dtype=dtype) + 0.5) * sw
    return cy, cx


def batch_attention_maps(boxes: Tensor, weights: Tensor, batch_idx: Tensor, batch_size: int,
                         featmap_size: Tuple[int, int],
                         stride: Union[float, Sequence[float]]) -> Tensor:
    """Eq. (2) for a batch: ``[B, H, W]`` maps from samples of several images.

    Sample ``k`` (box ``boxes[k]`` in image pixels, weight ``weights[k]``) belongs to image
    ``batch_idx[k]``. Cell (i, j), centred at ``((j + 0.5) * stride, (i + 0.5) * stride)``, gets
    the largest weight of the samples whose box contains its centre (edges included), 0 if none.
    Vectorised over samples and cells.
    """
    h, w = featmap_size
    boxes = boxes.detach().to(weights.dtype if weights.is_floating_point() else torch.float32)
    weights = weights.detach().to(boxes.dtype)
    out = boxes.new_zeros(batch_size, h * w)
    if boxes.numel() == 0:
        return out.view(batch_size, h, w)
    cy, cx = _cell_centres(featmap_size, stride, boxes.device, boxes.dtype)
    in_x = (cx[None] >= boxes[:, 0:1]) & (cx[None] <= boxes[:, 2:3])  # [K, W]
    in_y = (cy[None] >= boxes[:, 1:2]) & (cy[None] <= boxes[:, 3:4])  # [K, H]
    inside = (in_y[:, :, None] & in_x[:, None, :]).view(len(boxes), h * w)
    values = torch.where(inside, weights[:, None], torch.full_like(weights[:, None], -torch.inf))
    out = out.fill_(-torch.inf).scatter_reduce(
        0, batch_idx.long()[:, None].expand(-1, h * w), values, reduce='amax', include_self=True)
    return out.masked_fill_(out == -torch.inf, 0.0).view(batch_size, h, w)


def attention_map(boxes: Tensor, weights: Tensor, featmap_size: Tuple[int, int],
                  stride: Union[float, Sequence[float]]) -> Tensor:
    """Eq. (2): the ``[H, W]`` attention map of one feature level.

    ``boxes`` ``[K, 4]`` are the selected samples' boxes in image pixels ``(x1, y1, x2, y2)``,
    ``weights`` ``[K]`` their Eq. (1) weights. Cell (i, j) is centred at
    ``((j + 0.5) * stride, (i + 0.5) * stride)``; it gets the largest weight among the samples
    whose box contains its centre (a centre on the edge counts as inside), and 0 if none does.
    """
    batch_idx = torch.zeros(len(boxes), dtype=torch.long, device=boxes.device)
    return batch_attention_maps(boxes, weights, batch_idx, 1, featmap_size, stride)[0]


@MODELS.register_module()
class AttentionImitationLoss(nn.Module):
    """Eq. (5): ``L_dis = 1/(2N) sum_m ||A_m * (T_m - R(S_m))||^2 / (C_m H_m W_m)``.

    ``N`` is the batch size, ``T_m`` the teacher's and ``R(S_m)`` the adapted student's features
    of guided layer ``m`` and ``A_m`` its ``[N, H, W]`` attention map, broadcast over channels.
    With ``attention=None`` (``A = 1``) this is the SimpleDis baseline of Table 1. Computed in
    fp32; the teacher features and maps carry no gradient.

    Args:
        loss_weight: lambda_1.
        attention_norm: ``'none'`` (default): ``A`` as Eq. (1)-(2) give it, Eq. (5) as printed.
            ``'covered_mean'`` (**a departure from the paper**): each image's map of each layer
            divided by the mean of its non-zero cells, so that the covered cells average 1 and
            the loss is SimpleDis restricted to (and reweighted within) the cells near hard
            samples. With the paper's alpha 0.05 / beta 2, Eq. (1) weights are 0.02-0.25, and
            squared by Eq. (5) they scale imitation to ~1e-5 of SimpleDis's, whatever the
            features: the normalised map keeps the attention's *where* and drops that scale.
    """

    NORMS = ('none', 'covered_mean')

    def __init__(self, loss_weight: float = 1.0, attention_norm: str = 'none') -> None:
        super().__init__()
        if attention_norm not in self.NORMS:
            raise ValueError(f'AttentionImitationLoss: attention_norm must be one of '
                             f'{self.NORMS}, got {attention_norm!r}')
        self.loss_weight = loss_weight
        self.attention_norm = attention_norm

    @staticmethod
    def normalize_covered(attention: Tensor) -> Tensor:
        """``[N, H, W]`` maps divided, image by image, by the mean of their non-zero cells
        (an image without covered cells stays 0)."""
        covered = attention > 0
        count = covered.flatten(1).sum(1).clamp(min=1)
        mean = attention.flatten(1).sum(1) / count
        return torch.where(covered, attention / mean.clamp(min=1e-12)[:, None, None],
                           torch.zeros_like(attention))

    def forward(self, student_feats: Sequence[Tensor], teacher_feats: Sequence[Tensor],
                attention: Optional[Sequence[Tensor]] = None) -> Tensor:
        if len(student_feats) != len(teacher_feats):
            raise ValueError(f'AttentionImitationLoss: {len(student_feats)} student and '
                             f'{len(teacher_feats)} teacher feature maps')
        total = student_feats[0].new_zeros((), dtype=torch.float32)
        n = student_feats[0].shape[0]
        for m, (s, t) in enumerate(zip(student_feats, teacher_feats, strict=True)):
            if s.shape != t.shape:
                raise ValueError(f'AttentionImitationLoss: guided layer {m} has adapted student '
                                 f'shape {tuple(s.shape)} and teacher shape {tuple(t.shape)}')
            diff = t.detach().float() - s.float()
            if attention is not None:
                a = attention[m].detach().float()
                if self.attention_norm == 'covered_mean':
                    a = self.normalize_covered(a)
                diff = diff * a[:, None]
            total = total + diff.pow(2).sum() / s[0].numel()
        return self.loss_weight * total / (2 * n)


__all__ = ['AttentionImitationLoss', 'attention_map', 'attention_weights',
           'batch_attention_maps']
