"""loss_gradient_stats on a toy detector whose per-term gradients are known in closed form."""

import re

import pytest
import torch
from torch import nn

from mmdet_lite.benchmark.loss_gradients import (
    DEFAULT_KD_PATTERN,
    format_loss_gradient_table,
    loss_gradient_stats,
    parameter_groups,
)


class _Toy(nn.Module):
    """loss_det = w.a * x + h.c * x, loss_kd_pair = 2 w.b * x: d/dw is x*a and 2x*b."""

    def __init__(self) -> None:
        super().__init__()
        self.backbone = nn.Linear(2, 1, bias=False)
        self.bbox_head = nn.Linear(2, 1, bias=False)
        self.a = torch.tensor([3.0, 4.0])
        self.b = torch.tensor([-4.0, 3.0])
        self.c = torch.tensor([1.0, 0.0])
        self.data_preprocessor = lambda batch, training: batch

    def loss(self, inputs, data_samples=None):
        x = inputs
        w, h = self.backbone.weight[0], self.bbox_head.weight[0]
        return dict(loss_det=[(w @ self.a) * x, (h @ self.c) * x],
                    loss_kd_pair=(w @ self.b) * x * 2, acc=torch.tensor(1.0))


def test_norms_and_cosines_match_closed_form():
    model = _Toy()
    batches = [dict(inputs=torch.tensor(1.0)), dict(inputs=torch.tensor(3.0))]
    stats = loss_gradient_stats(model, batches)
    assert list(stats) == ['loss_det', 'loss_kd_pair', 'detection', 'distillation']
    # mean over the two batches of |x| * |a| = 2 * 5 on the backbone
    assert stats['loss_det']['backbone']['norm'] == pytest.approx(10.0)
    assert stats['loss_det']['bbox_head']['norm'] == pytest.approx(2.0)
    assert stats['loss_kd_pair']['backbone']['norm'] == pytest.approx(20.0)
    assert stats['loss_kd_pair']['kd'] and not stats['loss_det']['kd']
    # a and b are orthogonal; the detection row is aligned with itself
    assert stats['loss_kd_pair']['backbone']['cos_det'] == pytest.approx(0.0, abs=1e-12)
    assert stats['detection']['backbone']['cos_det'] == pytest.approx(1.0)
    # the KD term does not reach the head: norm 0, no cosine
    assert stats['loss_kd_pair']['bbox_head']['norm'] == 0.0
    assert stats['distillation']['backbone']['norm'] == pytest.approx(20.0)
    w, h = model.backbone.weight[0].detach(), model.bbox_head.weight[0].detach()
    value = 2 * (w @ model.a + h @ model.c)  # mean of x over the batches is 2
    assert stats['loss_det']['value'] == pytest.approx(float(value), rel=1e-5)
    table = format_loss_gradient_table(stats)
    assert '| loss_kd_pair (KD) |' in table
    assert ' 20 | 2.00 | +0.00 |' in table  # backbone norm, ratio to detection, cosine


def test_random_directions_against_torch():
    torch.manual_seed(0)
    model = _Toy()
    model.a, model.b = torch.randn(2), torch.randn(2)
    stats = loss_gradient_stats(model, [dict(inputs=torch.tensor(1.0))])
    cos = float(torch.nn.functional.cosine_similarity(model.a, model.b, dim=0))
    assert stats['loss_kd_pair']['backbone']['cos_det'] == pytest.approx(cos, abs=1e-6)
    assert stats['loss_kd_pair']['backbone']['norm'] == pytest.approx(
        2 * float(model.b.norm()), rel=1e-6)


def test_kd_pattern_and_errors():
    kd = re.compile(DEFAULT_KD_PATTERN)
    assert all(kd.search(k) for k in ('loss_kd_pixel', 'loss_kd_pair', 'loss_ld', 'loss_distill'))
    assert not any(kd.search(k) for k in ('loss_dfl', 'loss_cls', 'loss_bbox', 'loss_wh',
                                          'loss_center_heatmap', 'loss_old'))
    model = _Toy()
    assert list(parameter_groups(model)) == ['backbone', 'bbox_head']
    with pytest.raises(ValueError, match='No batch'):
        loss_gradient_stats(model, [])
    with pytest.raises(ValueError, match='No detection loss'):
        loss_gradient_stats(model, [dict(inputs=torch.tensor(1.0))], kd_pattern='loss')
