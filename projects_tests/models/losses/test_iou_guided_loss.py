"""RefineDetLite Eq. (2)-(5): IoU-guided soft labels, anchor weights, class weights."""

import math

import pytest
import torch
import torch.nn.functional as F

from mmdet_lite.models.losses import (
    IoUGuidedCrossEntropyLoss,
    class_balanced_weights,
    iou_guided_anchor_weights,
    iou_guided_soft_labels,
)


def test_soft_labels_eq3_hand_case():
    # 3 foreground classes, background = 3; alpha = 0.25
    labels = torch.tensor([1, 3, 0])
    ious = torch.tensor([0.6, 0.4, 1.0])
    y = iou_guided_soft_labels(labels, ious, num_classes=3, alpha=0.25)
    # positive: 1 - 0.25 * (1 - 0.6) = 0.9, the other 3 entries share 0.1
    assert torch.allclose(y[0], torch.tensor([0.1 / 3, 0.9, 0.1 / 3, 0.1 / 3]))
    # negative: 1 - 0.25 * 0.4 = 0.9 on the background entry
    assert torch.allclose(y[1], torch.tensor([0.1 / 3, 0.1 / 3, 0.1 / 3, 0.9]))
    # perfect positive: one-hot
    assert torch.allclose(y[2], torch.tensor([1.0, 0.0, 0.0, 0.0]))
    assert torch.allclose(y.sum(1), torch.ones(3))


def test_anchor_weights_eq4_hand_case():
    labels = torch.tensor([0, 0, 0, 2])  # num_classes 2: label 2 is background
    ious = torch.tensor([1.0, 0.5, 0.0, 0.3])
    eta = iou_guided_anchor_weights(labels, ious, num_classes=2, beta=0.9)
    expected = torch.tensor([1.0, 1 / (1 - 0.45), 1 / 0.1, 1.0])
    assert torch.allclose(eta, expected)
    with pytest.raises(ValueError, match='beta'):
        iou_guided_anchor_weights(labels, ious, 2, beta=1.0)


def test_class_weights_eq5_hand_case():
    # counts 1000, 100, 10: r = 1, 10, 100; gamma 3/4, W 10
    w = class_balanced_weights([1000, 100, 10], W=10, gamma=0.75)
    r_max = 100 ** 0.75
    expected = [1.0, 9 / (r_max - 1) * (10 ** 0.75 - 1) + 1, 10.0]
    assert torch.allclose(w, torch.tensor(expected))


def test_basic_loss_is_cross_entropy():
    torch.manual_seed(0)
    logits = torch.randn(50, 5)
    labels = torch.randint(0, 5, (50,))
    loss = IoUGuidedCrossEntropyLoss()(logits, labels)
    assert torch.allclose(loss, F.cross_entropy(logits, labels, reduction='none'), atol=1e-6)


def naive_eq2(logits, labels, ious, num_classes, alpha, beta, weights):
    out = []
    for j in range(len(labels)):
        t = int(labels[j])
        iou = float(ious[j])
        c = num_classes + 1
        y_t = 1 - alpha * (1 - iou) if t < num_classes else 1 - alpha * iou
        y = [(1 - y_t) / (c - 1)] * c
        y[t] = y_t
        p = torch.softmax(logits[j].double(), 0)
        w = list(weights) + [1.0]
        s = sum(w[i] * y[i] * math.log(y[i] / float(p[i])) for i in range(c) if y[i] > 0)
        eta = 1 / (1 + beta * (iou - 1)) if t < num_classes else 1.0
        out.append(eta * s)
    return torch.tensor(out, dtype=torch.float64)


def test_iou_guided_class_weighted_loss_matches_naive():
    torch.manual_seed(1)
    k = 4
    logits = torch.randn(40, k + 1) * 3
    labels = torch.randint(0, k + 1, (40,))
    ious = torch.rand(40)
    ious[:3] = torch.tensor([0.0, 1.0, 0.5])
    weights = [1.0, 2.5, 4.0, 10.0]
    loss = IoUGuidedCrossEntropyLoss(iou_guided=True, alpha=0.25, beta=0.9,
                                     class_weights=weights)(logits, labels, ious)
    ref = naive_eq2(logits, labels, ious, k, 0.25, 0.9, weights)
    assert torch.allclose(loss.double(), ref, rtol=1e-5, atol=1e-6)


def test_loss_errors():
    with pytest.raises(ValueError, match='class_weights'):
        IoUGuidedCrossEntropyLoss(class_weights='balanced')
    with pytest.raises(RuntimeError, match='ClassBalancedWeightsHook'):
        IoUGuidedCrossEntropyLoss(class_weights='auto')(torch.zeros(2, 3), torch.tensor([0, 2]))
    with pytest.raises(ValueError, match='IoU'):
        IoUGuidedCrossEntropyLoss(iou_guided=True)(torch.zeros(2, 3), torch.tensor([0, 2]))


@pytest.mark.parametrize('mode', ['entry', 'target'])
def test_minimiser_of_each_class_weight_reading(mode):
    """The gradient vanishes at p = target only under the target-class reading; under the printed
    per-entry reading it vanishes at p proportional to w * y (the rare classes inflated)."""
    w = torch.tensor([1.0, 1.96, 3.64, 10.0])
    labels = torch.tensor([4, 0])  # a negative at IoU 0.6, a positive of class 0 at IoU 0.5
    ious = torch.tensor([0.6, 0.5])
    y = iou_guided_soft_labels(labels, ious, 4, 0.25)
    loss_fn = IoUGuidedCrossEntropyLoss(iou_guided=True, class_weights=w.tolist(),
                                        class_weight_mode=mode)
    w5 = torch.cat([w, torch.ones(1)])
    for p in (y, w5 * y / (w5 * y).sum(1, keepdim=True)):
        logits = p.log().clone().requires_grad_(True)
        loss_fn(logits, labels, ious).sum().backward()
        at_minimum = logits.grad.abs().max().item() < 1e-6
        assert at_minimum == ((p is y) == (mode == 'target'))
    # the hand figure of the docstring: the negative is pulled to background 0.58, class 3 0.26
    p_entry = w5 * y / (w5 * y).sum(1, keepdim=True)
    assert p_entry[0, 4].item() == pytest.approx(0.58, abs=0.01)
    assert p_entry[0, 3].item() == pytest.approx(0.26, abs=0.01)


def test_target_reading_weights_each_anchor_by_its_class():
    torch.manual_seed(0)
    logits, labels = torch.randn(6, 5), torch.tensor([0, 1, 2, 3, 4, 4])
    ious = torch.rand(6)
    w = [1.0, 2.0, 3.0, 4.0]
    plain = IoUGuidedCrossEntropyLoss(iou_guided=True)(logits, labels, ious)
    target = IoUGuidedCrossEntropyLoss(iou_guided=True, class_weights=w,
                                       class_weight_mode='target')(logits, labels, ious)
    torch.testing.assert_close(target, plain * torch.tensor([1.0, 2, 3, 4, 1, 1]))
    with pytest.raises(ValueError, match='class_weight_mode'):
        IoUGuidedCrossEntropyLoss(class_weight_mode='anchor')
