"""Mobile CenterNet Eq. (9)-(10): the Gram form against naive loops and the N x N form."""

import math

import pytest
import torch

from mmdet_lite.models.losses import (
    PairwiseSimilarityLoss,
    pairwise_similarity_gram,
    pairwise_similarity_naive,
)


def loop_pairwise(feat_s, feat_t):
    """Eq. (9)-(10) with explicit loops over positions i, j."""
    b, _, h, w = feat_s.shape
    n = h * w
    total = 0.0
    for k in range(b):
        fs = feat_s[k].reshape(feat_s.shape[1], n).double()
        ft = feat_t[k].reshape(feat_t.shape[1], n).double()
        acc = 0.0
        for i in range(n):
            for j in range(n):
                a_s = (fs[:, i] @ fs[:, j]) / (fs[:, i].norm() * fs[:, j].norm())
                a_t = (ft[:, i] @ ft[:, j]) / (ft[:, i].norm() * ft[:, j].norm())
                acc += (a_s - a_t).item() ** 2
        total += acc / n ** 2
    return total / b


def test_hand_case():
    # two positions; student vectors orthogonal (a_12 = 0), teacher's parallel (a_12 = 1):
    # the off-diagonal pairs (1,2) and (2,1) each add 1, the diagonal 0 -> 2 / 2^2 = 0.5
    s = torch.tensor([[1.0, 0.0], [0.0, 1.0]]).view(1, 2, 1, 2)
    t = torch.tensor([[1.0, 2.0], [1.0, 2.0], [0.0, 0.0]]).view(1, 3, 1, 2)
    assert PairwiseSimilarityLoss()(s, t).item() == pytest.approx(0.5, rel=1e-7)
    # cosine similarity ignores the vectors' lengths
    assert PairwiseSimilarityLoss()(s * 5, s).item() == pytest.approx(0.0, abs=1e-12)


def test_against_loop_with_different_channels():
    g = torch.Generator().manual_seed(0)
    s = torch.randn(2, 3, 3, 4, generator=g)
    t = torch.randn(2, 5, 3, 4, generator=g)
    got = PairwiseSimilarityLoss(loss_weight=10.0)(s, t).item()
    assert got == pytest.approx(10.0 * loop_pairwise(s, t), rel=1e-6)


@pytest.mark.parametrize('shape_s,shape_t', [((2, 16, 18, 32), (2, 32, 18, 32)),
                                             ((1, 8, 40, 72), (1, 8, 40, 72))])
def test_gram_equals_naive(shape_s, shape_t):
    g = torch.Generator().manual_seed(1)
    s = torch.randn(*shape_s, generator=g).relu()  # post-ReLU like HRNet features
    t = torch.randn(*shape_t, generator=g).relu()
    naive = pairwise_similarity_naive(s.double(), t.double())
    gram = pairwise_similarity_gram(s, t)
    assert gram.item() == pytest.approx(naive.item(), rel=1e-9)


def test_gram_exact_when_student_is_close_to_teacher():
    # the three Gram terms nearly cancel here: fp64 accumulation keeps the small difference
    g = torch.Generator().manual_seed(2)
    t = torch.randn(1, 16, 36, 64, generator=g)
    s = t + 1e-3 * torch.randn(1, 16, 36, 64, generator=g)
    naive = pairwise_similarity_naive(s.double(), t.double()).item()
    assert naive > 0
    assert pairwise_similarity_gram(s, t).item() == pytest.approx(naive, rel=1e-4)


def test_gradients_match_naive():
    g = torch.Generator().manual_seed(3)
    s1 = torch.randn(2, 6, 5, 7, generator=g, dtype=torch.float64, requires_grad=True)
    s2 = s1.detach().clone().requires_grad_(True)
    t = torch.randn(2, 9, 5, 7, generator=g, dtype=torch.float64)
    pairwise_similarity_naive(s1, t).backward()
    pairwise_similarity_gram(s2, t).backward()
    assert torch.allclose(s1.grad, s2.grad, rtol=1e-8, atol=1e-12)


def test_zero_feature_vectors_are_finite():
    s = torch.zeros(1, 4, 3, 3, requires_grad=True)
    t = torch.rand(1, 4, 3, 3)
    loss = PairwiseSimilarityLoss()(s, t)
    loss.backward()
    assert math.isfinite(loss.item()) and torch.isfinite(s.grad).all()


def test_teacher_detached_and_dtype():
    s = torch.randn(1, 4, 6, 6, requires_grad=True)
    t = torch.randn(1, 8, 6, 6, requires_grad=True)
    loss = PairwiseSimilarityLoss()(s, t)
    loss.backward()
    assert loss.dtype == torch.float32 and t.grad is None and s.grad is not None


def test_pool_scale_matches_reference_pooling():
    s = torch.randn(1, 4, 8, 12)
    t = torch.randn(1, 6, 8, 12)
    pooled = PairwiseSimilarityLoss(pool_scale=0.5)(s, t)
    ref = pairwise_similarity_naive(torch.nn.functional.max_pool2d(s, (4, 6)),
                                    torch.nn.functional.max_pool2d(t, (4, 6)))
    assert pooled.item() == pytest.approx(ref.item(), rel=1e-5)


def test_bad_inputs():
    with pytest.raises(ValueError, match='spatial size'):
        PairwiseSimilarityLoss()(torch.zeros(1, 4, 8, 8), torch.zeros(1, 4, 4, 4))
    with pytest.raises(ValueError, match='pool_scale'):
        PairwiseSimilarityLoss(pool_scale=2)
