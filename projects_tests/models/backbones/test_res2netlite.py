"""Res2NetLite (RefineDetLite, Sec. 3.2, Table 1, Fig. 2): shapes, Res2Block hierarchy, groups."""

import pytest
import torch
import torch.nn as nn

import mmdet_lite  # noqa: F401  (registers the modules)
from mmdet_lite.models.backbones import Res2NetLite
from mmdet_lite.models.backbones.res2netlite import LiteBottleneck, Res2Block, ResBlock


def shapes(outs):
    return [tuple(o.shape[1:]) for o in outs]


def test_res2netlite72_detection_outputs_at_320():
    from mmdet.registry import MODELS
    model = MODELS.build(dict(type='Res2NetLite', c=72)).eval()
    assert isinstance(model, Res2NetLite)
    assert model.out_channels == (576, 1152, 512, 512)
    with torch.no_grad():
        outs = model(torch.randn(1, 3, 320, 320))
    assert isinstance(outs, tuple)
    assert shapes(outs) == [(576, 20, 20), (1152, 10, 10), (512, 5, 5), (512, 3, 3)]
    assert tuple(o.shape[1] for o in outs) == model.out_channels


def test_stage_layout_small():
    model = Res2NetLite(c=8)
    assert isinstance(model.stem[0], nn.BatchNorm2d) and model.stem[0].num_features == 3
    assert [len(s) for s in model.stages] == [4, 8, 4]  # bottleneck + 3 / 7 / 3 Res2Blocks
    for stage, ch in zip(model.stages, (32, 64, 128), strict=True):
        assert isinstance(stage[0], LiteBottleneck)
        assert all(isinstance(b, Res2Block) and b.channels == ch for b in stage[1:])
    x = torch.randn(2, 3, 64, 64)
    model.eval()
    with torch.no_grad():
        assert tuple(model.stem(x).shape) == (2, 32, 16, 16)
        assert shapes(model(x)) == [(64, 4, 4), (128, 2, 2), (512, 1, 1), (512, 1, 1)]
    sub = Res2NetLite(c=8, out_indices=(1, 2), extra_channels=(16, 8)).eval()
    assert sub.out_channels == (128, 16)
    with torch.no_grad():
        assert shapes(sub(x)) == [(128, 2, 2), (16, 1, 1)]


def test_res2block_hierarchy():
    torch.manual_seed(0)
    block = Res2Block(32, scales=4, width_ratio=0.5, groups=2).eval()
    assert block.split == 4 and len(block.convs) == 3
    x = torch.randn(1, 32, 6, 6)
    with torch.no_grad():
        assert block(x).shape == x.shape  # input channels == output channels
        h = block.conv1(x)
        base = block.hierarchical(h)
        assert len(base) == 4 and all(y.shape[1] == 4 for y in base)
        assert torch.equal(base[0], h[:, :4])  # y_1 = x_1
        for j in range(4):
            h2 = h.clone()
            h2[:, 4 * j:4 * (j + 1)] += torch.randn(1, 4, 6, 6)
            ys = block.hierarchical(h2)
            changed = [not torch.allclose(a, b) for a, b in zip(base, ys, strict=True)]
            # Res2Net Eq. 1: y_1 = x_1, y_2 = K_2(x_2), y_i = K_i(x_i + y_{i-1}): y_i sees x_i
            # and, through y_{i-1}, x_2..x_{i-1}; never x_1 unless i == 1
            expected = [i == j or (j >= 1 and i > j) for i in range(4)]
            assert changed == expected, (j, changed)


def test_every_group_conv_has_two_groups():
    model = Res2NetLite(c=8)
    convs3 = [m for m in model.modules() if isinstance(m, nn.Conv2d) and m.kernel_size == (3, 3)]
    stem_conv = model.stem[1].conv
    assert stem_conv.in_channels == 3 and stem_conv.groups == 1  # 3 input channels: no groups
    others = [m for m in convs3 if m is not stem_conv]
    assert len(others) == 3 + 13 * 3 + 2  # bottleneck 3x3s + 3 K_i per Res2Block + extras
    assert all(m.groups == 2 for m in others)
    dw = Res2NetLite(c=8, groups='depthwise')
    assert all(m.groups == m.in_channels for m in dw.modules()
               if isinstance(m, nn.Conv2d) and m.kernel_size == (3, 3) and m.in_channels > 3)


def test_resblock_baseline():
    res2, res = Res2NetLite(c=8).eval(), Res2NetLite(c=8, block='res').eval()
    assert not any(isinstance(m, Res2Block) for m in res.modules())
    assert sum(isinstance(m, ResBlock) for m in res.modules()) == 13
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        assert shapes(res(x)) == shapes(res2(x))
    assert res.out_channels == res2.out_channels


@pytest.mark.parametrize('kwargs', [dict(c=3), dict(c=6), dict(c=8, scales=3),
                                    dict(c=8, groups=3)])
def test_bad_c_raises(kwargs):
    with pytest.raises(ValueError, match=r'c=\d+') as err:
        Res2NetLite(**kwargs)
    msg = str(err.value)
    assert 'groups=' in msg and 'scales=' in msg and 'fit' in msg


def test_bad_arguments_raise():
    for kwargs in (dict(block='x'), dict(out_indices=(4, )), dict(c=0), dict(groups=0)):
        with pytest.raises(ValueError):
            Res2NetLite(**{'c': 8, **kwargs})


def test_gradient_reaches_stem():
    model = Res2NetLite(c=8)
    model.init_weights()
    model.train()
    sum(o.mean() for o in model(torch.randn(2, 3, 64, 64))).backward()
    grad = model.stem[1].conv.weight.grad
    assert grad is not None and grad.abs().sum() > 0
    assert model.stem[0].weight.grad is not None


def test_norm_eval_and_frozen_stages():
    model = Res2NetLite(c=8, norm_eval=True, frozen_stages=1)
    model.train()
    assert all(not m.training for m in model.modules() if isinstance(m, nn.BatchNorm2d))
    assert all(not p.requires_grad for p in model.stem.parameters())
    assert all(not p.requires_grad for p in model.stages[0].parameters())
    assert all(p.requires_grad for p in model.stages[1].parameters())
    model = Res2NetLite(c=8).train()
    assert all(m.training for m in model.modules() if isinstance(m, nn.BatchNorm2d))
