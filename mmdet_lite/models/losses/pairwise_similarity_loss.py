"""Pair-wise (structured) similarity distillation (Mobile CenterNet Sec. 3.2, Eq. 9-10)."""

import math
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmdet.registry import MODELS
from torch import Tensor


def _unit_columns(feat: Tensor, eps: float) -> Tensor:
    """``[B, C, H, W]`` -> ``[B, C, N]`` with every position's feature vector of unit length."""
    flat = feat.flatten(2)
    return flat / flat.norm(dim=1, keepdim=True).clamp_min(eps)


def pairwise_similarity_naive(feat_s: Tensor, feat_t: Tensor, eps: float = 1e-8) -> Tensor:
    """Eq. (10) by forming both ``N x N`` similarity matrices; reference for tests and benchmarks.

    Memory grows as ``N^2``: 530 MB per image per network at ``N = 11520`` in fp32.
    """
    fs, ft = _unit_columns(feat_s, eps), _unit_columns(feat_t, eps)
    a_s = fs.transpose(1, 2) @ fs
    a_t = ft.transpose(1, 2) @ ft
    n = fs.shape[-1]
    return ((a_s - a_t) ** 2).sum(dim=(1, 2)).mean() / n ** 2


def pairwise_similarity_gram(feat_s: Tensor, feat_t: Tensor, eps: float = 1e-8,
                             dtype: torch.dtype = torch.float64) -> Tensor:
    """Eq. (10) exactly, without ``N x N`` matrices.

    With unit columns ``S`` (``C_s x N``) and ``T`` (``C_t x N``), ``A_s = S^T S`` and
    ``A_t = T^T T``, and by ``||X^T Y||_F = ||Y X^T||_F``-type trace identities::

        ||A_s - A_t||_F^2 = ||S S^T||_F^2 + ||T T^T||_F^2 - 2 ||S T^T||_F^2

    which needs only ``C x C`` Gram matrices: ``O(C^2 N)`` time and ``O(C N)`` memory instead of
    ``O(C N^2)`` and ``O(N^2)``. The three terms are each of order ``N^2`` and nearly cancel when
    the student matches the teacher, so they are accumulated in ``dtype`` (fp64 by default).
    """
    fs = _unit_columns(feat_s.to(dtype), eps)
    ft = _unit_columns(feat_t.to(dtype), eps)
    n = fs.shape[-1]
    g_ss = fs @ fs.transpose(1, 2)
    g_tt = ft @ ft.transpose(1, 2)
    g_st = fs @ ft.transpose(1, 2)
    per_img = g_ss.square().sum((1, 2)) + g_tt.square().sum((1, 2)) - 2 * g_st.square().sum((1, 2))
    # exact arithmetic gives >= 0; rounding can leave a tiny negative residue
    return per_img.clamp_min(0).mean() / n ** 2


@MODELS.register_module()
class PairwiseSimilarityLoss(nn.Module):
    """Pair-wise similarity distillation: Eq. (9) cosine similarities, Eq. (10) squared error.

    ``loss = mean_b sum_ij (a_ij^s - a_ij^t)^2 / N^2`` with ``N = H * W`` positions; the student
    and teacher channels may differ. Computed exactly at full resolution through ``C x C`` Gram
    matrices (:func:`pairwise_similarity_gram`), so no ``N x N`` matrix is formed. The teacher
    feature is detached.

    Args:
        loss_weight: lambda_pa of Eq. (11) (10 in the paper).
        pool_scale: ``None`` (default) for full resolution. A float in ``(0, 1]`` max-pools both
            maps first with a kernel of ``ceil(pool_scale * H) x ceil(pool_scale * W)``, as the
            reference structured-KD code does to keep its ``N x N`` matrices small (``0.5`` gives
            2x2 nodes).
        eps: lower bound on feature norms in the cosine similarity.
    """

    def __init__(self, loss_weight: float = 1.0, pool_scale: Optional[float] = None,
                 eps: float = 1e-8) -> None:
        super().__init__()
        if pool_scale is not None and not 0 < pool_scale <= 1:
            raise ValueError(f'PairwiseSimilarityLoss: pool_scale must be None or in (0, 1], '
                             f'got {pool_scale}')
        self.loss_weight = float(loss_weight)
        self.pool_scale = pool_scale
        self.eps = eps

    def _pool(self, feat: Tensor) -> Tensor:
        if self.pool_scale is None:
            return feat
        h, w = feat.shape[-2:]
        kernel = (math.ceil(h * self.pool_scale), math.ceil(w * self.pool_scale))
        return F.max_pool2d(feat, kernel, kernel, ceil_mode=True)

    def forward(self, feat_s: Tensor, feat_t: Tensor) -> Tensor:
        """Loss for student ``[B, C_s, H, W]`` and teacher ``[B, C_t, H, W]`` features."""
        if feat_s.dim() != 4 or feat_t.dim() != 4 or feat_s.shape[0] != feat_t.shape[0] \
                or feat_s.shape[-2:] != feat_t.shape[-2:]:
            raise ValueError('PairwiseSimilarityLoss: features must be [B, C, H, W] with the same '
                             f'batch and spatial size, got {tuple(feat_s.shape)} (student) and '
                             f'{tuple(feat_t.shape)} (teacher)')
        loss = pairwise_similarity_gram(self._pool(feat_s), self._pool(feat_t.detach()),
                                        eps=self.eps)
        return self.loss_weight * loss.to(feat_s.dtype)


__all__ = ['PairwiseSimilarityLoss', 'pairwise_similarity_gram', 'pairwise_similarity_naive']
