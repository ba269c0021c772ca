"""Attention-guided KD Eq. (1), (2), (5): hand cases and independent naive loops."""

import math

import pytest
import torch

from mmdet_lite.models.losses import (
    AttentionImitationLoss,
    attention_map,
    attention_weights,
    batch_attention_maps,
)


def test_eq1_hand_values():
    losses = torch.tensor([0.0, 1.0, 100.0, 1000.0])
    w = attention_weights(losses)  # w_max 15, alpha 0.05, beta 2
    assert w[0] == 0
    assert w[1].item() == pytest.approx(0.05 * (1 - math.exp(-1)) ** 2 * 1.0, rel=1e-6)
    assert w[2].item() == pytest.approx(5.0, rel=1e-6)  # 0.05 * ~1 * 100, below the cap
    assert w[3].item() == 15.0  # capped at w_max
    w = attention_weights(torch.tensor([2.0]), w_max=1.0, alpha=0.5, beta=1.0)
    assert w.item() == pytest.approx(min(1.0, 0.5 * (1 - math.exp(-2)) * 2), rel=1e-6)


def test_eq1_monotone_and_no_grad():
    losses = torch.linspace(0, 400, 2001, requires_grad=True)
    w = attention_weights(losses)
    assert not w.requires_grad
    assert torch.all(w[1:] >= w[:-1]) and w.max() == 15.0


def test_eq2_hand_case():
    # 3x4 map, stride 10: centres x 5, 15, 25, 35 and y 5, 15, 25
    boxes = torch.tensor([[0.0, 0.0, 20.0, 20.0],     # cells (0..1, 0..1), weight 1
                          [10.0, 10.0, 40.0, 30.0],   # cells (1..2, 1..3), weight 2
                          [35.0, 5.0, 35.0, 5.0]])    # a point on the centre of (0, 3): inside
    weights = torch.tensor([1.0, 2.0, 0.5])
    expected = torch.tensor([[1.0, 1.0, 0.0, 0.5],
                             [1.0, 2.0, 2.0, 2.0],
                             [0.0, 2.0, 2.0, 2.0]])
    assert torch.equal(attention_map(boxes, weights, (3, 4), 10), expected)
    # a box ending just before a centre does not cover it
    assert attention_map(torch.tensor([[0.0, 0.0, 4.99, 4.99]]), torch.tensor([3.0]),
                         (3, 4), 10).sum() == 0
    assert torch.equal(attention_map(torch.zeros(0, 4), torch.zeros(0), (3, 4), 10),
                       torch.zeros(3, 4))


def naive_attention_map(boxes, weights, size, stride):
    sw, sh = (stride, stride) if isinstance(stride, (int, float)) else stride
    out = torch.zeros(size, dtype=torch.float64)
    for i in range(size[0]):
        for j in range(size[1]):
            cx, cy = (j + 0.5) * sw, (i + 0.5) * sh
            cover = [float(w) for b, w in zip(boxes.tolist(), weights.tolist(), strict=True)
                     if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]]
            out[i, j] = max(cover) if cover else 0.0
    return out


@pytest.mark.parametrize('seed', range(5))
def test_eq2_random_against_naive(seed):
    g = torch.Generator().manual_seed(seed)
    size, stride = (7, 9), (16, 12)
    xy = torch.rand(40, 2, generator=g) * torch.tensor([150.0, 90.0])
    wh = torch.rand(40, 2, generator=g) * 60
    boxes = torch.cat([xy, xy + wh], 1)
    boxes[:5] = boxes[:5].round()  # some edges exactly on centres: 8 + 16k, 6 + 12k
    weights = attention_weights(torch.rand(40, generator=g) * 30)
    got = attention_map(boxes, weights, size, stride)
    assert torch.allclose(got.double(), naive_attention_map(boxes, weights, size, stride))


def test_batched_maps_equal_per_image_maps():
    g = torch.Generator().manual_seed(0)
    boxes = torch.rand(30, 2, generator=g).repeat(1, 2) * 80
    boxes[:, 2:] += torch.rand(30, 2, generator=g) * 40
    weights = torch.rand(30, generator=g) * 5
    idx = torch.randint(0, 3, (30,), generator=g)
    maps = batch_attention_maps(boxes, weights, idx, 4, (5, 6), 16)
    for b in range(4):
        assert torch.equal(maps[b], attention_map(boxes[idx == b], weights[idx == b], (5, 6), 16))
    assert maps[3].sum() == 0  # no sample in image 3


def naive_eq5(student, teacher, attention):
    n = student[0].shape[0]
    total = 0.0
    for s, t, a in zip(student, teacher, attention, strict=True):
        _, c, h, w = s.shape
        acc = 0.0
        for b in range(n):
            for k in range(c):
                for i in range(h):
                    for j in range(w):
                        diff = float(t[b, k, i, j]) - float(s[b, k, i, j])
                        acc += (float(a[b, i, j]) * diff) ** 2
        total += acc / (c * h * w)
    return total / (2 * n)


def test_eq5_hand_case():
    s = [torch.zeros(2, 1, 1, 2)]
    t = [torch.tensor([[[[1.0, 2.0]]], [[[3.0, 0.0]]]])]
    a = [torch.tensor([[[1.0, 0.0]], [[2.0, 5.0]]])]
    # image 0: (1*1)^2 + 0; image 1: (2*3)^2 + 0 -> 37 / (C H W = 2) / (2 N = 4)
    assert AttentionImitationLoss()(s, t, a).item() == pytest.approx(37 / 2 / 4)
    assert AttentionImitationLoss(loss_weight=2.0)(s, t, None).item() == pytest.approx(
        (1 + 4 + 9) / 2 / 4 * 2)


def test_eq5_random_against_naive_and_simpledis():
    g = torch.Generator().manual_seed(1)
    shapes = [(2, 3, 4, 5), (2, 6, 2, 3)]
    s = [torch.randn(sh, generator=g) for sh in shapes]
    t = [torch.randn(sh, generator=g) for sh in shapes]
    a = [torch.rand(sh[0], *sh[2:], generator=g) * 3 for sh in shapes]
    loss = AttentionImitationLoss()
    assert loss(s, t, a).item() == pytest.approx(naive_eq5(s, t, a), rel=1e-5)
    ones = [torch.ones(sh[0], *sh[2:]) for sh in shapes]
    assert loss(s, t, None).item() == pytest.approx(loss(s, t, ones).item(), rel=1e-6)


def test_eq5_gradients_reach_the_student_only():
    s = torch.randn(2, 4, 3, 3, requires_grad=True)
    t = torch.randn(2, 4, 3, 3, requires_grad=True)
    a = torch.rand(2, 3, 3, requires_grad=True)
    AttentionImitationLoss()([s], [t], [a]).backward()
    assert s.grad is not None and s.grad.abs().sum() > 0
    assert t.grad is None and a.grad is None
    with pytest.raises(ValueError, match='guided layer 0'):
        AttentionImitationLoss()([s], [t[:, :2]], None)


def test_covered_mean_normalisation_hand_case_and_loss_ratio():
    """'covered_mean' (a departure from Eq. 5): image 0's map [0, 0.02; 0.06, 0] has covered
    mean 0.04 and becomes [0, 0.5; 1.5, 0]; image 1 covers nothing and stays 0. With feature
    differences of 1 (C = 1): Eq. 5 as printed gives (0.02^2 + 0.06^2) / 4 / (2 N = 4) = 2.5e-4,
    the normalised map (0.5^2 + 1.5^2) / 4 / 4 = 0.15625, SimpleDis (A = 1) 8 / 4 / 4 = 0.5:
    the attention loss goes from 5e-4 to 0.31 of SimpleDis's."""
    a = torch.tensor([[[0.0, 0.02], [0.06, 0.0]], [[0.0, 0.0], [0.0, 0.0]]])
    norm = AttentionImitationLoss.normalize_covered(a)
    assert torch.allclose(norm, torch.tensor([[[0.0, 0.5], [1.5, 0.0]], [[0.0] * 2] * 2]))
    s, t = [torch.zeros(2, 1, 2, 2)], [torch.ones(2, 1, 2, 2)]
    printed = AttentionImitationLoss()(s, t, [a]).item()
    covered = AttentionImitationLoss(attention_norm='covered_mean')(s, t, [a]).item()
    simple = AttentionImitationLoss()(s, t, None).item()
    assert printed == pytest.approx(2.5e-4)
    assert covered == pytest.approx(0.15625)
    assert simple == pytest.approx(0.5)
    # SimpleDis is unchanged by the switch (no map to normalise)
    assert AttentionImitationLoss(attention_norm='covered_mean')(s, t, None).item() == simple
    with pytest.raises(ValueError, match="attention_norm must be one of .*'covered_mean'"):
        AttentionImitationLoss(attention_norm='mean')
