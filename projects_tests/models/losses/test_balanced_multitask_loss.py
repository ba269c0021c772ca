"""RefineDetLite Eq. (6): balanced multi-task weighting with trainable log-variances."""

import math

import pytest
import torch

from mmdet_lite.models.losses import BalancedMultiTaskLoss


def test_eq6_hand_case():
    m = BalancedMultiTaskLoss()
    with torch.no_grad():
        m.log_vars.copy_(torch.tensor([0.0, math.log(2.0), math.log(4.0), 1.0]))
    losses = [torch.tensor(2.0), torch.tensor(3.0), torch.tensor(8.0), torch.tensor(1.0)]
    terms = m(losses)
    expected = [
        1 / (2 * 1) * 2 + 0.0,                      # 1/(2 sigma1^2) L + log(sigma1^2)/2
        1 / 2 * 3 + math.log(2.0) / 2,              # 1/sigma2^2 L + log(sigma2^2)/2
        1 / (2 * 4) * 8 + math.log(4.0) / 2,
        math.exp(-1.0) * 1 + 0.5,
    ]
    for t, e in zip(terms, expected, strict=True):
        assert float(t.detach()) == pytest.approx(e, rel=1e-6)


def test_log_vars_are_trained_towards_the_loss_scale():
    # d/ds (c e^-s L + s/2) = 0 at s = log(2 c L): the optimum sigma^2 tracks the loss
    m = BalancedMultiTaskLoss(tasks=('reg', 'cls'))
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    for _ in range(2000):
        opt.zero_grad()
        sum(m([torch.tensor(3.0), torch.tensor(0.5)])).backward()
        opt.step()
    assert torch.allclose(m.log_vars.detach(), torch.log(torch.tensor([3.0, 1.0])), atol=1e-3)


def test_bad_tasks():
    with pytest.raises(ValueError, match='tasks'):
        BalancedMultiTaskLoss(tasks=('reg', 'det'))
    with pytest.raises(ValueError, match='losses'):
        BalancedMultiTaskLoss()([torch.tensor(1.0)])
