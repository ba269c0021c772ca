"""Mobile CenterNet Eq. (3) and (4): hand-computed cases and a naive loop on random input."""

import math

import pytest
import torch
from mmdet.models.losses import GaussianFocalLoss

from mmdet_lite.models.losses import ClassBalancedFocalLoss, class_balanced_weights


@pytest.mark.parametrize('counts,gamma', [([8, 4, 2], 1.0), ([16, 4, 1], 0.5)])
def test_weights_hand_cases(counts, gamma):
    # r_c^gamma = (1, 2, 4), r_max^gamma = 4 -> w = 9/3 * (r^gamma - 1) + 1 = (1, 4, 10)
    w = class_balanced_weights(counts, W=10.0, gamma=gamma)
    assert torch.allclose(w, torch.tensor([1.0, 4.0, 10.0]))


def test_weights_paper_setting_against_formula():
    counts = [40, 12, 4, 1]  # the benchmark's long tail, order of classes arbitrary below
    w = class_balanced_weights([12, 40, 1, 4], W=10.0, gamma=0.75)
    m_max, m_min = max(counts), min(counts)
    expect = [(10 - 1) / ((m_max / m_min) ** 0.75 - 1) * ((m_max / m) ** 0.75 - 1) + 1
              for m in [12, 40, 1, 4]]
    assert torch.allclose(w, torch.tensor(expect), rtol=1e-6)
    assert w[1] == 1.0 and math.isclose(w[2].item(), 10.0, rel_tol=1e-6)


@pytest.mark.parametrize('counts,expect', [
    ([5, 5, 5], [1.0, 1.0, 1.0]),  # all equal: r_max = 1, defined as ones
    ([0, 0], [1.0, 1.0]),  # no boxes at all
    ([10, 0, 1], [1.0, 10.0, 10.0]),  # zero boxes: weight W; M_min over non-empty classes
    ([7, 0], [1.0, 10.0]),  # one non-empty class
])
def test_weights_degenerate_counts(counts, expect):
    w = class_balanced_weights(counts, W=10.0, gamma=0.75)
    assert torch.isfinite(w).all()
    assert torch.allclose(w, torch.tensor(expect))


def test_weights_reject_bad_counts():
    with pytest.raises(ValueError, match='>= 0'):
        class_balanced_weights([3, -1])
    with pytest.raises(ValueError, match='at least one'):
        class_balanced_weights([])


def test_loss_hand_case():
    pred = torch.tensor([0.5, 0.2]).view(1, 2, 1, 1)
    target = torch.tensor([1.0, 0.5]).view(1, 2, 1, 1)
    loss = ClassBalancedFocalLoss(alpha=2.0, beta=4.0, class_weights=[1.0, 3.0],
                                  weight_negatives=True)
    # positive: (1 - .5)^2 * -log(.5); negative: w=3 * (1 - .5)^4 * .2^2 * -log(.8); N = 1
    expect = 0.25 * math.log(2) + 3 * 0.0625 * 0.04 * -math.log(0.8)
    assert loss(pred, target, avg_factor=1).item() == pytest.approx(expect, rel=1e-5)
    assert loss(pred, target, avg_factor=2).item() == pytest.approx(expect / 2, rel=1e-5)


def naive_cbfl(pred, target, weights, alpha, beta, n):
    total = 0.0
    b, c, h, w = pred.shape
    for i in range(b):
        for k in range(c):
            for y in range(h):
                for x in range(w):
                    p, t = pred[i, k, y, x].item(), target[i, k, y, x].item()
                    if t == 1:
                        term = (1 - p) ** alpha * math.log(p)
                    else:
                        term = (1 - t) ** beta * p ** alpha * math.log(1 - p)
                    total += weights[k] * term
    return -total / n


def test_loss_against_naive_loop():
    g = torch.Generator().manual_seed(0)
    pred = torch.rand(2, 3, 5, 6, generator=g, dtype=torch.float64).clamp(1e-4, 1 - 1e-4)
    target = torch.rand(2, 3, 5, 6, generator=g, dtype=torch.float64)
    target[target > 0.9] = 1.0
    n = int(target.eq(1).sum())
    weights = [1.0, 2.5, 7.0]
    loss = ClassBalancedFocalLoss(alpha=2.0, beta=4.0, class_weights=weights,
                                  weight_negatives=True)
    ours = loss(pred, target, avg_factor=n).item()
    # rel 1e-7: the loss guards log() with eps = 1e-12, as mmdet does
    assert ours == pytest.approx(naive_cbfl(pred, target, weights, 2.0, 4.0, n), rel=1e-7)


def test_equals_gaussian_focal_loss_without_weights():
    g = torch.Generator().manual_seed(1)
    pred = torch.rand(2, 4, 8, 8, generator=g).clamp(1e-3, 1 - 1e-3)
    target = torch.rand(2, 4, 8, 8, generator=g)
    target[target > 0.95] = 1.0
    ref = GaussianFocalLoss(alpha=2.0, gamma=4.0)
    ours = ClassBalancedFocalLoss(alpha=2.0, beta=4.0)
    assert torch.allclose(ours(pred, target, avg_factor=7), ref(pred, target, avg_factor=7))
    assert torch.allclose(ours(pred, target), ref(pred, target))  # no avg_factor: mean


def test_auto_weights_need_the_hook():
    loss = ClassBalancedFocalLoss(class_weights='auto')
    with pytest.raises(RuntimeError, match='ClassBalancedWeightsHook'):
        loss(torch.rand(1, 2, 3, 3), torch.zeros(1, 2, 3, 3))
    loss.set_class_weights([1.0, 2.0])
    assert torch.isfinite(loss(torch.rand(1, 2, 3, 3), torch.zeros(1, 2, 3, 3)))


def test_bad_arguments():
    with pytest.raises(ValueError, match="'auto'"):
        ClassBalancedFocalLoss(class_weights='balanced')
    loss = ClassBalancedFocalLoss(class_weights=[1.0, 2.0])
    with pytest.raises(ValueError, match='2 class weights but the heatmap has 3'):
        loss(torch.rand(1, 3, 2, 2), torch.zeros(1, 3, 2, 2))


def test_weights_not_saved_in_state_dict():
    loss = ClassBalancedFocalLoss(class_weights=[1.0, 2.0])
    assert 'class_weights' not in loss.state_dict()


def test_weight_negatives_switch_hand_case():
    """One positive and one negative pixel in a channel of weight 4: the printed Eq. (3) scales
    both by 4, the background-weight-1 reading only the positive."""
    pred = torch.tensor([0.5, 0.2]).view(1, 1, 1, 2)
    target = torch.tensor([1.0, 0.5]).view(1, 1, 1, 2)
    pos = -math.log(0.5) * 0.5 ** 2
    neg = -math.log(0.8) * 0.2 ** 2 * 0.5 ** 4
    both = ClassBalancedFocalLoss(class_weights=[4.0], weight_negatives=True, reduction='sum')
    only_pos = ClassBalancedFocalLoss(class_weights=[4.0], weight_negatives=False,
                                      reduction='sum')
    assert both(pred, target).item() == pytest.approx(4 * pos + 4 * neg, rel=1e-6)
    assert only_pos(pred, target).item() == pytest.approx(4 * pos + neg, rel=1e-6)
    default = ClassBalancedFocalLoss(class_weights=[4.0], reduction='sum')
    assert default(pred, target).item() == pytest.approx(4 * pos + neg, rel=1e-6)


def test_weight_negatives_false_against_naive_loop():
    torch.manual_seed(1)
    pred = torch.rand(2, 3, 5, 6).clamp(0.01, 0.99)
    target = torch.rand(2, 3, 5, 6) ** 3
    target[0, 1, 2, 3] = target[1, 2, 0, 0] = 1.0
    w = [1.0, 2.5, 7.0]
    got = ClassBalancedFocalLoss(class_weights=w, weight_negatives=False)(pred, target, 2)
    ref = 0.0
    for idx in torch.cartesian_prod(*[torch.arange(s) for s in pred.shape]).tolist():
        p, h = pred[tuple(idx)].item(), target[tuple(idx)].item()
        if h == 1:
            ref += -w[idx[1]] * (1 - p) ** 2 * math.log(p)
        else:
            ref += -(1 - h) ** 4 * p ** 2 * math.log(1 - p)
    assert got.item() == pytest.approx(ref / 2, rel=1e-5)
