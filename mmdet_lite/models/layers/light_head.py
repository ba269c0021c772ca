"""Light-head module of RefineDetLite (Fig. 3)."""

from typing import Optional

import torch.nn as nn
from mmcv.cnn import ConvModule
from mmdet.registry import MODELS
from mmdet.utils import ConfigType, OptMultiConfig
from mmengine.model import BaseModule
from torch import Tensor


@MODELS.register_module()
class LightHead(BaseModule):
    """RefineDetLite's residual-like two-pass module, Fig. 3(a).

    ``out = ReLU(bottleneck(x) + conv1x1(x))`` with the bottleneck path
    1x1 (in -> mid) -> 3x3 group conv (mid -> mid, ``groups``) -> 1x1 (mid -> out). The two paths
    see different receptive fields (3x3 and 1x1) and their sum lets the predictions that follow be
    plain 1x1 convolutions. The same module fuses features in the ODM (Fig. 3(b)).

    The paper does not give the bottleneck width; ``mid_channels`` defaults to ``out_channels // 2``
    and the 3x3 uses at most ``groups=2``, the backbone's choice for CPUs (Sec. 3.2).

    Args:
        in_channels: input channels.
        out_channels: output channels.
        mid_channels: bottleneck width (default ``out_channels // 2``).
        groups: groups of the 3x3 conv.
        norm_cfg / act_cfg: norm and activation of the convolutions.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 mid_channels: Optional[int] = None,
                 groups: int = 2,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU'),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        mid_channels = mid_channels or max(out_channels // 2, groups)
        if mid_channels % groups:
            raise ValueError(f'LightHead: mid_channels={mid_channels} must be divisible by '
                             f'groups={groups}; choose out_channels or mid_channels accordingly')
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.bottleneck = nn.Sequential(
            ConvModule(in_channels, mid_channels, 1, norm_cfg=norm_cfg, act_cfg=act_cfg),
            ConvModule(mid_channels, mid_channels, 3, padding=1, groups=groups,
                       norm_cfg=norm_cfg, act_cfg=act_cfg),
            ConvModule(mid_channels, out_channels, 1, norm_cfg=norm_cfg, act_cfg=None))
        self.shortcut = ConvModule(in_channels, out_channels, 1, norm_cfg=norm_cfg, act_cfg=None)
        self.act = MODELS.build(act_cfg) if act_cfg else nn.Identity()

    def forward(self, x: Tensor) -> Tensor:
        return self.act(self.bottleneck(x) + self.shortcut(x))
