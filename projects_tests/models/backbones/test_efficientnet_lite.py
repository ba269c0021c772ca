"""EfficientNetLite: published parameter counts, pyramid outputs, activations, bad arguments."""

import pytest
import torch
import torch.nn as nn

import mmdet_lite  # noqa: F401
from mmdet_lite.models.backbones import EfficientNetLite
from mmdet_lite.models.backbones.efficientnet_lite import round_channels, stage_settings

# Classification parameter counts (backbone + 1280-channel head conv + 1000-way FC) published
# with the reference implementation (tensorflow/tpu, models/official/efficientnet/lite/README.md:
# 4.7M, 5.4M, 6.1M, 8.2M, 13.0M); timm's efficientnet_lite0 reports 4.65M.
PUBLISHED_M = dict(lite0=4.7, lite1=5.4, lite2=6.1, lite3=8.2, lite4=13.0)


@pytest.mark.parametrize('arch', sorted(PUBLISHED_M))
def test_parameter_count_matches_published(arch):
    net = EfficientNetLite(arch, out_indices=(7, ), with_conv_head=True)
    params = sum(p.numel() for p in net.parameters()) + 1280 * 1000 + 1000  # + classifier FC
    assert round(params / 1e6, 1) == PUBLISHED_M[arch]


def test_lite0_is_b0_unscaled_and_lite_keeps_first_and_last_stage():
    assert [s[1] for s in stage_settings('lite0')] == [1, 2, 2, 3, 3, 4, 1]
    assert [s[2] for s in stage_settings('lite0')] == [16, 24, 40, 80, 112, 192, 320]
    lite4 = stage_settings('lite4')  # depth 1.8: ceil(1.8 r), but the first/last stage keep 1
    assert [s[1] for s in lite4] == [1, 4, 4, 6, 6, 8, 1]
    assert round_channels(112, 1.1) == 120 and round_channels(40, 1.1) == 48
    assert round_channels(32, 1.4) == 48  # 44.8 -> 48 (never more than 10 % below)


def test_pyramid_outputs_and_stem_fixed():
    net = EfficientNetLite('lite1', act_cfg=dict(type='SiLU')).eval()
    outs = net(torch.zeros(1, 3, 416, 416))
    assert [tuple(o.shape[1:]) for o in outs] == [(40, 52, 52), (112, 26, 26), (320, 13, 13)]
    assert net.pyramid_channels == [40, 112, 320]
    assert net.stem.conv.out_channels == 32
    assert EfficientNetLite('lite4').stem.conv.out_channels == 32  # fixed stem
    assert not any('conv_head' in n for n, _ in net.named_modules())


@pytest.mark.parametrize('act,cls', [('ReLU6', nn.ReLU6), ('SiLU', nn.SiLU), ('Mish', nn.Mish)])
def test_activation_is_selectable(act, cls):
    net = EfficientNetLite('lite0', act_cfg=dict(type=act))
    kinds = {type(m) for m in net.modules() if isinstance(m, (nn.ReLU6, nn.SiLU, nn.Mish,
                                                                nn.ReLU))}
    assert kinds == {cls}


def test_no_squeeze_excite_and_linear_projection():
    net = EfficientNetLite('lite0')
    block = net.stage2[0]
    assert not block.project_conv.with_activation
    assert not any(isinstance(m, (nn.AdaptiveAvgPool2d, nn.Sigmoid)) for m in net.modules())


def test_bad_arguments_are_clear():
    with pytest.raises(ValueError, match='unknown arch'):
        EfficientNetLite('lite9')
    with pytest.raises(ValueError, match='with_conv_head'):
        EfficientNetLite('lite0', out_indices=(7, ))


def test_frozen_stages_and_norm_eval():
    net = EfficientNetLite('lite0', frozen_stages=2, norm_eval=True)
    net.train()
    assert not any(p.requires_grad for p in net.stem.parameters())
    assert not any(p.requires_grad for p in net.stage2.parameters())
    assert all(p.requires_grad for p in net.stage3.parameters())
    assert not net.stage5[0].depthwise_conv.bn.training
