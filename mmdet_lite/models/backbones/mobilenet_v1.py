"""MobileNet (v1) with a width multiplier, the MobileNet-SSD backbone of attention-guided KD."""

from typing import Sequence, Tuple

import torch.nn as nn
from mmcv.cnn import ConvModule, DepthwiseSeparableConvModule
from mmdet.registry import MODELS
from mmdet.utils import ConfigType, OptMultiConfig
from mmengine.model import BaseModule
from torch import Tensor

from .thin_ssd_vgg import scaled_channels

# (output channels at width 1, stride) of the 13 depthwise-separable blocks (Howard et al. 2017)
_BLOCKS = ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1),
           (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1))


@MODELS.register_module()
class MobileNetV1(BaseModule):
    """MobileNet v1: a 3x3/2 conv of 32 channels then 13 depthwise-separable blocks.

    The attention-guided KD paper's "1/2 MobileNet" student (Table 1) is ``widen_factor=0.5``.
    As in MobileNet-SSD, the default outputs are conv11 (stride 16, 512 channels at width 1) and
    conv13 (stride 32, 1024 channels), indices 10 and 12 of the blocks.

    Args:
        widen_factor: channel multiplier of every layer.
        out_indices: indices (0-12) of the blocks whose outputs are returned.
        norm_cfg / act_cfg: norm and activation after every conv (BN + ReLU as in the paper).
        divisor: round the scaled channel counts to a multiple of this.
    """

    def __init__(self,
                 widen_factor: float = 1.0,
                 out_indices: Sequence[int] = (10, 12),
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU'),
                 divisor: int = 1,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg or [
            dict(type='Kaiming', layer='Conv2d'),
            dict(type='Constant', val=1, layer=['BatchNorm2d', 'SyncBatchNorm'])])
        if not set(out_indices) <= set(range(len(_BLOCKS))):
            raise ValueError(f'MobileNetV1: out_indices must be in 0..{len(_BLOCKS) - 1}, got '
                             f'{tuple(out_indices)}')
        self.out_indices = tuple(out_indices)
        in_ch = scaled_channels(32, widen_factor, divisor)
        self.stem = ConvModule(3, in_ch, 3, stride=2, padding=1, norm_cfg=norm_cfg,
                               act_cfg=act_cfg)
        self.blocks = nn.ModuleList()
        channels = []
        for out, stride in _BLOCKS:
            out_ch = scaled_channels(out, widen_factor, divisor)
            self.blocks.append(DepthwiseSeparableConvModule(
                in_ch, out_ch, 3, stride=stride, padding=1, norm_cfg=norm_cfg, act_cfg=act_cfg))
            channels.append(out_ch)
            in_ch = out_ch
        self.out_channels: Tuple[int, ...] = tuple(channels[i] for i in self.out_indices)

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        x = self.stem(x)
        outs = []
        for i, block in enumerate(self.blocks):
            x = block(x)
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs)


__all__ = ['MobileNetV1']
