"""GFLv2LDHead: the levels' score-weight sums travel as return values, not as state on the head,
so its losses are the same computed once, twice in a row or re-entrantly."""

import pytest
import torch
from mmengine.structures import InstanceData

import mmdet_lite  # noqa: F401
from projects_tests.models.dense_heads.test_gflv2_head import build_head

META = dict(img_shape=(64, 64), pad_shape=(64, 64), batch_input_shape=(64, 64))


def inputs():
    g = torch.Generator().manual_seed(0)
    cls = [torch.randn(1, 3, s, s, generator=g) for s in (8, 4)]
    reg = [torch.randn(1, 32, s, s, generator=g) for s in (8, 4)]
    soft = [torch.randn(1, 32, s, s, generator=g) for s in (8, 4)]
    gt = InstanceData(bboxes=torch.tensor([[10.0, 12.0, 40.0, 50.0], [30.0, 4.0, 62.0, 60.0]]),
                      labels=torch.tensor([1, 2]))
    return cls, reg, [gt], [META], soft


def ld_head(ld_norm):
    head = build_head(type='GFLv2LDHead', ld_norm=ld_norm,
                      loss_ld=dict(type='KnowledgeDistillationKLDivLoss', loss_weight=0.25,
                                   T=10))
    head.train()
    return head


def assert_same(a, b):
    assert a.keys() == b.keys()
    for key in a:
        for x, y in zip(a[key], b[key], strict=True):
            assert torch.equal(x, y), key


@pytest.mark.parametrize('ld_norm', ['reference', 'positives'])
def test_loss_twice_and_reentrant_equal_once_and_leave_no_state(ld_norm):
    head = ld_head(ld_norm)
    once = head.loss_by_feat(*inputs())
    assert sum(once['loss_ld']).item() > 0
    # nothing is written to the head while its losses are computed
    writes = []

    class Watched(type(head)):
        def __setattr__(self, name, value):
            writes.append(name)
            super().__setattr__(name, value)
    head.__class__ = Watched
    assert_same(head.loss_by_feat(*inputs()), once)
    assert_same(head.loss_by_feat(*inputs()), once)
    assert writes == []

    # re-entrant: each level of the outer call computes the whole loss again after its own
    single = type(head).loss_by_feat_single
    nested, depth = [], []

    def reentrant(*args, **kwargs):
        out = single(head, *args, **kwargs)
        if not depth:
            depth.append(1)
            try:
                nested.append(head.loss_by_feat(*inputs()))
            finally:
                depth.pop()
        return out
    head.loss_by_feat_single = reentrant
    try:
        outer = head.loss_by_feat(*inputs())
    finally:
        del head.loss_by_feat_single
    assert len(nested) == 2
    for losses in (outer, *nested):
        assert_same(losses, once)
