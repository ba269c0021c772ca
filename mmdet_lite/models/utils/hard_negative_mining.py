"""Online hard negative mining at a fixed negative:positive ratio (SSD, RefineDet), vectorised."""

import torch
from torch import Tensor


def hard_negative_mask(loss: Tensor, pos: Tensor, neg: Tensor, neg_pos_ratio: float) -> Tensor:
    """Select, in each image, the ``neg_pos_ratio * #positives`` negatives of largest loss.

    The same choice as the per-image ``topk`` of mmdet's ``SSDHead.loss_by_feat_single`` (ties
    between negatives of equal loss may be broken differently), for the whole batch at once.

    Args:
        loss: per-anchor loss ``[B, A]`` (only the ranking is used; no gradient).
        pos / neg: boolean masks ``[B, A]`` of positive and candidate negative anchors.
        neg_pos_ratio: negatives kept per positive.

    Returns:
        Tensor: boolean ``[B, A]`` mask of the selected negatives.
    """
    num_neg = torch.minimum((neg_pos_ratio * pos.sum(1)).long(), neg.sum(1))
    order = loss.detach().masked_fill(~neg, -torch.inf).argsort(dim=1, descending=True,
                                                                stable=True)
    rank = torch.empty_like(order).scatter_(
        1, order, torch.arange(order.shape[1], device=loss.device).expand_as(order))
    return neg & (rank < num_neg[:, None])
