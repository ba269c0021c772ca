"""LitePAN: the paper's modified path aggregation network (Sec. 3, Fig. 2).

PANet's two fusion paths with none of its 3x3 convolutions, as NanoDet slims it: a 1x1 lateral
conv brings every backbone level to ``out_channels``; the top-down path adds each coarser map,
resized to the finer map's size, into it; the bottom-up path then adds each finer map, resized
down, into the next coarser one. Resizing is bilinear to the target's exact size (odd sizes such
as 416 / 32 = 13 work), so the only learned layers are the laterals.
"""

from typing import List, Sequence, Tuple

import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmdet.registry import MODELS
from mmdet.utils import OptConfigType, OptMultiConfig
from mmengine.model import BaseModule
from torch import Tensor


@MODELS.register_module()
class LitePAN(BaseModule):
    """Top-down then bottom-up fusion by resize-and-add over 1x1 laterals.

    Args:
        in_channels: channels of the backbone levels, finest first.
        out_channels: channels of every output level.
        norm_cfg / act_cfg: of the lateral convs (none by default, as NanoDet's PAN: the head's
            convs normalise).
        upsample_mode: interpolation mode of both paths.
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 out_channels: int,
                 norm_cfg: OptConfigType = None,
                 act_cfg: OptConfigType = None,
                 upsample_mode: str = 'bilinear',
                 init_cfg: OptMultiConfig = dict(type='Xavier', layer='Conv2d',
                                                 distribution='uniform')) -> None:
        super().__init__(init_cfg)
        self.in_channels = list(in_channels)
        self.out_channels = out_channels
        self.upsample_mode = upsample_mode
        self.lateral_convs = nn.ModuleList(
            ConvModule(c, out_channels, 1, norm_cfg=norm_cfg, act_cfg=act_cfg)
            for c in self.in_channels)

    def _resize(self, x: Tensor, like: Tensor) -> Tensor:
        kwargs = dict(align_corners=False) if self.upsample_mode in ('bilinear', 'bicubic') \
            else {}
        # python ints: the exported graph then has constant Resize sizes (TensorRT 8.2 needs it)
        size = (int(like.shape[2]), int(like.shape[3]))
        return F.interpolate(x, size=size, mode=self.upsample_mode, **kwargs)

    def forward(self, inputs: Tuple[Tensor, ...]) -> Tuple[Tensor, ...]:
        if len(inputs) != len(self.in_channels):
            raise ValueError(f'LitePAN expects {len(self.in_channels)} levels '
                             f'(in_channels={self.in_channels}), got {len(inputs)}')
        laterals: List[Tensor] = [conv(x) for conv, x in zip(self.lateral_convs, inputs,
                                                                 strict=True)]
        for i in range(len(laterals) - 1, 0, -1):  # top-down
            laterals[i - 1] = laterals[i - 1] + self._resize(laterals[i], laterals[i - 1])
        outs = list(laterals)
        for i in range(len(outs) - 1):  # bottom-up
            outs[i + 1] = outs[i + 1] + self._resize(outs[i], outs[i + 1])
        return tuple(outs)
