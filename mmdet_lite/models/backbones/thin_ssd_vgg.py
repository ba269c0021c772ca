"""SSD's VGG backbone with a width multiplier: the thin students of attention-guided KD."""

from typing import List, Optional, Sequence, Tuple

import torch.nn as nn
from mmcv.cnn import build_norm_layer
from mmdet.registry import MODELS
from mmdet.utils import OptConfigType, OptMultiConfig
from mmengine.model import BaseModule
from torch import Tensor

# convs per VGG stage (64, 128, 256, 512, 512 channels at width 1)
_ARCH = {11: (1, 1, 2, 2, 2), 13: (2, 2, 2, 2, 2), 16: (2, 2, 3, 3, 3), 19: (2, 2, 4, 4, 4)}


def scaled_channels(channels: int, widen_factor: float, divisor: int = 1) -> int:
    """``channels * widen_factor`` rounded to a multiple of ``divisor`` (at least ``divisor``)."""
    return max(divisor, int(round(channels * widen_factor / divisor)) * divisor)


@MODELS.register_module()
class ThinSSDVGG(BaseModule):
    """VGG for SSD300 with ``1/n`` of the channels in every conv layer (Sec. 2.1, Table 1).

    "The 1/n network represents a model that has the same architecture as the original network,
    but only has 1/n channels for each convolutional layer" (attention-guided KD, Sec. 2.1):
    ``widen_factor=1/8`` is the 1/8 VGG16 student. The layers are those of mmdet's ``SSDVGG``
    (VGG stages with ceil-mode pooling, no pool after stage 5, then a 3x3/1 max-pool, the
    dilated fc6 conv and the 1x1 fc7 conv), and the outputs are conv4_3 and fc7 after ReLU. With
    ``widen_factor=1`` and ``norm_cfg=None`` the state dict has exactly ``SSDVGG``'s keys, so
    mmdet's VGG16 checkpoints load into it.

    Args:
        depth: VGG depth, one of 11, 13, 16, 19.
        widen_factor: channel multiplier of every conv layer (e.g. 0.125, 0.25).
        fc_channels: channels of fc6/fc7 at width 1 (1024 in SSD).
        norm_cfg: a norm after every conv (e.g. ``dict(type='BN')``), for training from scratch;
            ``None`` as in the original SSD.
        ceil_mode: ceil mode of the stage max-pools (SSD300: True, 38x38 conv4_3).
        divisor: round the scaled channel counts to a multiple of this.
        init_cfg: initialisation config (Kaiming for convs by default).
    """

    def __init__(self,
                 depth: int = 16,
                 widen_factor: float = 1.0,
                 fc_channels: int = 1024,
                 norm_cfg: OptConfigType = None,
                 ceil_mode: bool = True,
                 divisor: int = 1,
                 init_cfg: OptMultiConfig = (dict(type='Kaiming', layer='Conv2d'),
                                             dict(type='Constant', val=1,
                                                  layer=['BatchNorm2d', 'SyncBatchNorm']))
                 ) -> None:
        super().__init__(init_cfg=list(init_cfg) if isinstance(init_cfg, tuple) else init_cfg)
        if depth not in _ARCH:
            raise KeyError(f'ThinSSDVGG: depth must be one of {sorted(_ARCH)}, got {depth}')
        if not 0 < widen_factor <= 4:
            raise ValueError(f'ThinSSDVGG: widen_factor must be in (0, 4], got {widen_factor}')
        self.widen_factor = widen_factor
        layers: List[nn.Module] = []
        out_feature_indices = []
        in_ch = 3
        for stage, num_convs in enumerate(_ARCH[depth]):
            out_ch = scaled_channels(min(64 * 2**stage, 512), widen_factor, divisor)
            for _ in range(num_convs):
                layers += self._conv(in_ch, out_ch, 3, norm_cfg, padding=1)
                in_ch = out_ch
            if stage == 3:
                out_feature_indices.append(len(layers) - 1)  # conv4_3 + ReLU
            if stage < 4:
                layers.append(nn.MaxPool2d(kernel_size=2, stride=2, ceil_mode=ceil_mode))
        fc_ch = scaled_channels(fc_channels, widen_factor, divisor)
        layers.append(nn.MaxPool2d(kernel_size=3, stride=1, padding=1))
        layers += self._conv(in_ch, fc_ch, 3, norm_cfg, padding=6, dilation=6)  # fc6
        layers += self._conv(fc_ch, fc_ch, 1, norm_cfg)  # fc7
        out_feature_indices.append(len(layers) - 1)
        self.features = nn.Sequential(*layers)
        self.out_feature_indices: Tuple[int, ...] = tuple(out_feature_indices)
        self.out_channels: Tuple[int, int] = (
            scaled_channels(512, widen_factor, divisor), fc_ch)

    @staticmethod
    def _conv(in_ch: int, out_ch: int, kernel: int, norm_cfg: Optional[dict],
              **kwargs) -> List[nn.Module]:
        conv = nn.Conv2d(in_ch, out_ch, kernel, bias=norm_cfg is None, **kwargs)
        if norm_cfg is None:
            return [conv, nn.ReLU(inplace=True)]
        return [conv, build_norm_layer(norm_cfg, out_ch)[1], nn.ReLU(inplace=True)]

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        outs = []
        for i, layer in enumerate(self.features):
            x = layer(x)
            if i in self.out_feature_indices:
                outs.append(x)
        return tuple(outs)


def ssd_neck_channels(widen_factor: float, extra: Sequence[int] = (512, 256, 256, 256),
                      divisor: int = 1) -> Tuple[int, ...]:
    """SSD300's neck/head channels (512, 1024, 512, 256, 256, 256) scaled by ``widen_factor``."""
    return tuple(scaled_channels(c, widen_factor, divisor) for c in (512, 1024, *extra))


__all__ = ['ThinSSDVGG', 'scaled_channels', 'ssd_neck_channels']
