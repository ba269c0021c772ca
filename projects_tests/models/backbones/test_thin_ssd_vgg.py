"""ThinSSDVGG: SSDVGG's layers at 1/n width; at width 1 it is mmdet's SSDVGG, weight for weight."""

import pytest
import torch
import torch.nn as nn
from mmdet.models.backbones import SSDVGG

from mmdet_lite.models.backbones import MobileNetV1, ThinSSDVGG, ssd_neck_channels


def convs(module):
    return [m for m in module.modules() if isinstance(m, nn.Conv2d)]


def test_width_one_is_mmdet_ssdvgg():
    ours = ThinSSDVGG(depth=16, widen_factor=1.0)
    ref = SSDVGG(depth=16, with_last_pool=False, ceil_mode=True, out_indices=(3, 4),
                 out_feature_indices=(22, 34))
    assert ours.out_feature_indices == (22, 34)
    ref_state = ref.state_dict()
    assert {k: v.shape for k, v in ours.state_dict().items()} == \
        {k: v.shape for k, v in ref_state.items()}
    ours.load_state_dict(ref_state, strict=True)
    x = torch.randn(1, 3, 300, 300)
    with torch.no_grad():
        for a, b in zip(ours(x), ref(x), strict=True):
            assert a.shape == b.shape and torch.allclose(a, b, atol=1e-5)
    assert [tuple(o.shape[1:]) for o in ours(x)] == [(512, 38, 38), (1024, 19, 19)]


@pytest.mark.parametrize('n', [8, 4])
def test_every_conv_has_one_nth_of_the_channels(n):
    full, thin = ThinSSDVGG(widen_factor=1.0), ThinSSDVGG(widen_factor=1 / n,
                                                          norm_cfg=dict(type='BN'))
    pairs = list(zip(convs(full), convs(thin), strict=True))
    assert len(pairs) == 15  # 13 VGG16 convs + fc6 + fc7
    for a, b in pairs:
        assert b.out_channels * n == a.out_channels
        assert b.in_channels * n == a.in_channels or a.in_channels == 3
    assert thin.out_channels == (512 // n, 1024 // n)
    with torch.no_grad():
        outs = thin(torch.randn(2, 3, 300, 300))
    assert [tuple(o.shape[1:]) for o in outs] == [(512 // n, 38, 38), (1024 // n, 19, 19)]
    assert ssd_neck_channels(1 / n) == tuple(c // n for c in (512, 1024, 512, 256, 256, 256))


def test_batchnorm_variant_trains_its_norms_and_outputs_after_relu():
    m = ThinSSDVGG(widen_factor=0.25, norm_cfg=dict(type='BN'))
    assert sum(isinstance(x, nn.BatchNorm2d) for x in m.modules()) == 15
    assert all(isinstance(m.features[i], nn.ReLU) for i in m.out_feature_indices)
    m.train()
    assert all(x.training for x in m.modules())


def test_bad_arguments():
    with pytest.raises(KeyError, match='depth must be one of'):
        ThinSSDVGG(depth=17)
    with pytest.raises(ValueError, match='widen_factor'):
        ThinSSDVGG(widen_factor=0)


def test_mobilenet_v1_half_width():
    m = MobileNetV1(widen_factor=0.5, out_indices=(4, 10, 12))
    assert m.out_channels == (128, 256, 512)
    with torch.no_grad():
        outs = m(torch.randn(1, 3, 300, 300))
    # strides 8, 16, 32 with SSD300's 38, 19, 10 maps
    assert [tuple(o.shape[1:]) for o in outs] == [(128, 38, 38), (256, 19, 19), (512, 10, 10)]
    full = MobileNetV1()
    n_params = sum(p.numel() for p in full.parameters())
    assert 3.1e6 < n_params < 3.3e6  # MobileNet v1 without its classifier: 3.2 M
    with pytest.raises(ValueError, match='out_indices'):
        MobileNetV1(out_indices=(13,))
