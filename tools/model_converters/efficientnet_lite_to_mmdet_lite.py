"""Convert ImageNet EfficientNet-Lite weights to mmdet_lite's ``EfficientNetLite`` backbone.

    python tools/model_converters/efficientnet_lite_to_mmdet_lite.py SRC DST [--arch lite1]
    python tools/model_converters/efficientnet_lite_to_mmdet_lite.py timm \\
        checkpoints/tf_efficientnet_lite1_imagenet.pth --arch lite1   # = make that file

SRC ``timm`` downloads timm's ImageNet weights of ``tf_efficientnet_lite<N>`` (:data:`TIMM_URLS`);
otherwise SRC is a file or URL in timm's / geffnet's layout (``tf_efficientnet_lite0..4``:
``conv_stem``, ``bn1``, ``blocks.i.j.conv_pw/conv_dw/conv_pwl`` ...) or in EfficientNet-PyTorch's
layout (``efficientnet-lite-pytorch``: ``_conv_stem``, ``_bn0``, ``_blocks.n._expand_conv`` ...).
DST holds the backbone's own keys (``stem.conv.weight``, ``stage2.0.expand_conv.bn.weight`` ...),
the 1280-channel head conv and the classifier dropped, and loads with
``init_cfg=dict(type='Pretrained', checkpoint=DST)``. Every tensor of the backbone must be filled
with its shape, or it stops. These weights were trained with TensorFlow's SAME padding and inputs
scaled to [-1, 1]: use ``tf_padding=True`` and ``mean=[127.5] * 3, std=[127.5] * 3`` (RGB), as
the COCO configs do.
"""

import argparse
import re
import sys
from typing import Dict, List, Optional, Tuple

import torch
from torch import Tensor

# timm / geffnet InvertedResidual and DepthwiseSeparable parts -> our MBConv parts
_IR = {'conv_pw': 'expand_conv.conv', 'bn1': 'expand_conv.bn', 'conv_dw': 'depthwise_conv.conv',
       'bn2': 'depthwise_conv.bn', 'conv_pwl': 'project_conv.conv', 'bn3': 'project_conv.bn'}
_DS = {'conv_dw': 'depthwise_conv.conv', 'bn1': 'depthwise_conv.bn',
       'conv_pw': 'project_conv.conv', 'bn2': 'project_conv.bn'}
# EfficientNet-PyTorch block parts -> ours (its blocks are numbered globally)
_LM = {'_expand_conv': 'expand_conv.conv', '_bn0': 'expand_conv.bn',
       '_depthwise_conv': 'depthwise_conv.conv', '_bn1': 'depthwise_conv.bn',
       '_project_conv': 'project_conv.conv', '_bn2': 'project_conv.bn'}
_HEAD = ('conv_head', 'bn2.', 'classifier', '_conv_head', '_bn1.', '_fc')
_RELEASE = 'https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-weights/'
TIMM_URLS = {'lite0': _RELEASE + 'tf_efficientnet_lite0-0aa007d2.pth',
             'lite1': _RELEASE + 'tf_efficientnet_lite1-bde8b488.pth',
             'lite2': _RELEASE + 'tf_efficientnet_lite2-dcccb7df.pth',
             'lite3': _RELEASE + 'tf_efficientnet_lite3-b733e338.pth',
             'lite4': _RELEASE + 'tf_efficientnet_lite4-741542c3.pth'}


def _stem_key(key: str, conv: str, bn: str) -> Optional[str]:
    """Our ``stem.conv.*`` / ``stem.bn.*`` key for a stem key named ``conv*`` / ``bn*``."""
    for prefix, ours in ((conv, 'stem.conv.'), (bn, 'stem.bn.')):
        if key.startswith(prefix):
            return ours + key[len(prefix):]
    return None


def _timm_key(key: str, expands: Dict[Tuple[int, int], bool]) -> str:
    stem = _stem_key(key, 'conv_stem.', 'bn1.')
    if stem:
        return stem
    m = re.match(r'blocks\.(\d+)\.(\d+)\.([a-z_0-9]+)\.(.+)$', key)
    if not m:
        raise KeyError(key)
    i, j, part, rest = int(m[1]), int(m[2]), m[3], m[4]
    table = _IR if expands[i, j] else _DS
    return f'stage{i + 1}.{j}.{table[part]}.{rest}'


def _lukemelas_key(key: str, stage_of: List[Tuple[int, int]]) -> str:
    stem = _stem_key(key, '_conv_stem.', '_bn0.')
    if stem:
        return stem
    m = re.match(r'_blocks\.(\d+)\.([a-z_0-9]+)\.(.+)$', key)
    if not m:
        raise KeyError(key)
    stage, j = stage_of[int(m[1])]
    part = m[2]
    if part == '_bn0' and stage == 0:  # no expansion in stage 1: _bn0 does not exist there
        raise KeyError(key)
    return f'stage{stage + 1}.{j}.{_LM[part]}.{m[3]}'


def convert(src: Dict[str, Tensor], arch: str) -> Dict[str, Tensor]:
    """The backbone's state dict from a timm/geffnet or EfficientNet-PyTorch one."""
    from mmdet_lite.models.backbones.efficientnet_lite import stage_settings
    settings = stage_settings(arch)
    body = {k: v for k, v in src.items() if not k.startswith(_HEAD)}
    if any(k.startswith('_blocks.') for k in body):
        stage_of = [(i, j) for i, (_, r, _, _, _) in enumerate(settings) for j in range(r)]
        return {_lukemelas_key(k, stage_of): v for k, v in body.items()}
    expands = {(i, j): f'blocks.{i}.{j}.conv_pwl.weight' in body
               for i, (_, r, _, _, _) in enumerate(settings) for j in range(r)}
    return {_timm_key(k, expands): v for k, v in body.items()}


def check_fit(state: Dict[str, Tensor], arch: str) -> None:
    """Stop unless ``state`` fills every tensor of the ``arch`` backbone with its shape."""
    from mmdet_lite.models.backbones import EfficientNetLite
    ours = EfficientNetLite(arch=arch).state_dict()
    missing = sorted(set(ours) - set(state))
    extra = sorted(set(state) - set(ours))
    shapes = [k for k in set(ours) & set(state) if ours[k].shape != state[k].shape]
    if missing or extra or shapes:
        raise SystemExit(f'efficientnet_lite_to_mmdet_lite: the weights do not fit EfficientNet-'
                         f'Lite {arch}: missing {missing[:4]}, unexpected {extra[:4]}, shape '
                         f'mismatch {shapes[:4]}. Check --arch (lite0/1/2/3/4).')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('src', help="'timm' (its ImageNet weights of --arch), or a file or URL "
                        'in the timm/geffnet or EfficientNet-PyTorch layout')
    parser.add_argument('dst')
    parser.add_argument('--arch', default='lite1', choices=('lite0', 'lite1', 'lite2', 'lite3',
                                                            'lite4'))
    args = parser.parse_args()
    if args.src == 'timm':
        args.src = TIMM_URLS[args.arch]
    if args.src.startswith(('http://', 'https://')):
        src = torch.hub.load_state_dict_from_url(args.src, map_location='cpu',
                                                 weights_only=True)
    else:
        src = torch.load(args.src, map_location='cpu', weights_only=True)
    src = src.get('state_dict', src)
    state = convert(src, args.arch)
    check_fit(state, args.arch)
    torch.save(dict(state_dict=state, meta=dict(source=args.src, arch=args.arch,
                                                tf_padding=True)), args.dst)
    print(f'wrote {args.dst}: {len(state)} tensors, '
          f'{sum(v.numel() for k, v in state.items() if "num_batches" not in k) / 1e6:.3f} M '
          'values')


if __name__ == '__main__':
    sys.exit(main())
