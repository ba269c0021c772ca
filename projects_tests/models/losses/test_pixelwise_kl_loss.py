"""Mobile CenterNet Eq. (8): hand cases and a naive per-pixel loop on random input."""

import math

import pytest
import torch

from mmdet_lite.models.losses import PixelwiseKLLoss


def naive_pixelwise_kl(logits_s, logits_t, tau):
    b, c, h, w = logits_s.shape
    total = 0.0
    for n in range(b):
        per_img = 0.0
        for y in range(h):
            for x in range(w):
                zs = [logits_s[n, k, y, x].item() / tau for k in range(c)]
                zt = [logits_t[n, k, y, x].item() / tau for k in range(c)]
                ls = math.log(sum(math.exp(z) for z in zs))
                lt = math.log(sum(math.exp(z) for z in zt))
                ps = [math.exp(z - ls) for z in zs]
                pt = [math.exp(z - lt) for z in zt]
                per_img += sum(pt[k] * math.log(pt[k] / ps[k]) for k in range(c))
        total += per_img / (h * w)
    return total / b * tau ** 2


def test_hand_case():
    # one pixel, 2 classes: teacher (0.5, 0.5), student softmax(log 3, 0) = (0.75, 0.25)
    s = torch.tensor([math.log(3.0), 0.0]).view(1, 2, 1, 1)
    t = torch.zeros(1, 2, 1, 1)
    expect = 0.5 * math.log(0.5 / 0.75) + 0.5 * math.log(0.5 / 0.25)
    assert PixelwiseKLLoss()(s, t).item() == pytest.approx(expect, rel=1e-6)
    # identical distributions (any shift of the logits) give zero
    assert PixelwiseKLLoss()(t + 3.0, t).item() == pytest.approx(0.0, abs=1e-7)


@pytest.mark.parametrize('tau,weight', [(1.0, 1.0), (2.0, 0.1), (0.5, 3.0)])
def test_against_naive_loop(tau, weight):
    g = torch.Generator().manual_seed(0)
    s = torch.randn(2, 4, 3, 5, generator=g) * 3
    t = torch.randn(2, 4, 3, 5, generator=g) * 3
    got = PixelwiseKLLoss(tau=tau, loss_weight=weight)(s, t).item()
    assert got == pytest.approx(weight * naive_pixelwise_kl(s, t, tau), rel=1e-5)


def test_gradient_only_to_student():
    s = torch.randn(1, 3, 4, 4, requires_grad=True)
    t = torch.randn(1, 3, 4, 4, requires_grad=True)
    PixelwiseKLLoss()(s, t).backward()
    assert s.grad is not None and s.grad.abs().sum() > 0
    assert t.grad is None


def test_shape_mismatch_and_bad_tau():
    with pytest.raises(ValueError, match='same shape'):
        PixelwiseKLLoss()(torch.zeros(1, 4, 8, 8), torch.zeros(1, 4, 4, 4))
    with pytest.raises(ValueError, match='tau'):
        PixelwiseKLLoss(tau=0)


def naive_bernoulli_kl(logits_s, logits_t, tau):
    b, c, h, w = logits_s.shape
    total = 0.0
    for n in range(b):
        for k in range(c):
            for i in range(h):
                for j in range(w):
                    pt = 1 / (1 + math.exp(-logits_t[n, k, i, j].item() / tau))
                    ps = 1 / (1 + math.exp(-logits_s[n, k, i, j].item() / tau))
                    total += pt * math.log(pt / ps) + (1 - pt) * math.log((1 - pt) / (1 - ps))
    return total / (b * h * w) * tau ** 2


@pytest.mark.parametrize('tau', [1.0, 2.0])
def test_bernoulli_reading_against_naive_loop(tau):
    torch.manual_seed(3)
    s, t = torch.randn(2, 3, 4, 5) * 3, torch.randn(2, 3, 4, 5) * 3
    got = PixelwiseKLLoss(tau=tau, mode='bernoulli')(s, t).item()
    assert got == pytest.approx(naive_bernoulli_kl(s, t, tau), rel=1e-5)


def test_readings_differ_on_the_object_level():
    """A student whose logits are the teacher's shifted by a constant at every pixel: the class
    softmax cannot see it (KL 0), the per-class Bernoulli does."""
    t = torch.tensor([[-4.0, -6.0], [3.0, -5.0]]).view(1, 2, 1, 2)
    s = t - 5.0
    assert PixelwiseKLLoss(mode='softmax')(s, t).item() == pytest.approx(0.0, abs=1e-7)
    assert PixelwiseKLLoss(mode='bernoulli')(s, t).item() > 0.5
    with pytest.raises(ValueError, match='mode'):
        PixelwiseKLLoss(mode='sigmoid')
