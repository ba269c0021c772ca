"""Res2NetLite, the detection backbone of RefineDetLite (Chen et al. 2019, Sec. 3.2, Table 1).

Stage0 (input BN, 3x3/2 conv, 3x3/2 max-pool) brings the image to 1/4 resolution and 32
channels; stages 1-3 are one downsampling :class:`LiteBottleneck` (Fig. 2a) followed by
3 / 7 / 3 :class:`Res2Block` (Fig. 2b), with 4c / 8c / 16c channels. Two extra
:class:`LiteBottleneck` modules (512 and 512 channels) follow Stage3. The detection outputs are
the last layers of Stage2 and Stage3 plus the two extra modules: at 320x320 and c = 72
(Res2NetLite72) they are 20x20x576, 10x10x1152, 5x5x512 and 3x3x512, as in the paper.
"""

from typing import List, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmdet.registry import MODELS
from mmdet.utils import ConfigType, OptMultiConfig
from mmengine.model import BaseModule
from torch import Tensor
from torch.nn.modules.batchnorm import _BatchNorm

GroupsType = Union[int, str]  # an int, or 'depthwise' (groups = channels of each group conv)

_STAGE_BLOCKS = (3, 7, 3)  # Res2Blocks per stage (Table 1)
_STAGE_WIDTHS = (4, 8, 16)  # stage output channels in units of c (Sec. 3.2: 576 / 1152 at c=72)
_STEM_CHANNELS = 32


def _groups(groups: GroupsType, channels: int) -> int:
    """Number of groups of a group conv over ``channels`` channels."""
    return channels if groups == 'depthwise' else int(groups)


def _scaled(channels: int, ratio: float) -> int:
    """``channels * ratio`` rounded; callers check the result with :func:`_split_problems`."""
    return max(int(round(channels * ratio)), 1)


def _split_problems(name: str, channels: int, ratio: float, parts: int,
                    groups: GroupsType) -> List[str]:
    """Why ``channels * ratio`` cannot be split into ``parts`` group convs of ``groups`` groups."""
    exact = channels * ratio
    if abs(exact - round(exact)) > 1e-6:
        return [f'{name}: {channels} * {ratio} = {exact:g} channels is not an integer']
    width = int(round(exact))
    if width < parts or width % parts:
        return [f'{name}: width {width} does not split into scales={parts} equal parts']
    g = _groups(groups, width // parts)
    if (width // parts) % g:
        return [f'{name}: each of the {parts} parts has {width // parts} channels, not '
                f'divisible by groups={g}']
    return []


def _check_groups(groups: GroupsType) -> None:
    if groups != 'depthwise' and (isinstance(groups, bool) or not isinstance(groups, int)
                                  or groups < 1):
        raise ValueError(f"groups must be a positive int or 'depthwise', got {groups!r}")


@MODELS.register_module()
class LiteBottleneck(BaseModule):
    """Downsampling bottleneck of Fig. 2a: 1x1 conv, 3x3 group conv (stride 2), 1x1 conv.

    Every conv is followed by BN + ReLU. There is no shortcut branch: the paper describes
    Res2NetLite as "a kind of straightforward and elegant network without any bypass branches"
    and only the Res2Blocks are residual; the channel and resolution change happens here.

    Args:
        in_channels / out_channels: input and output channels.
        mid_channels: channels of the 3x3 group conv (default ``out_channels // 2``).
        stride: stride of the 3x3 conv (2: halves the resolution, 5 -> 3 with padding 1).
        groups: groups of the 3x3 conv (the paper uses g = 2), or ``'depthwise'``.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 mid_channels: int = None,
                 stride: int = 2,
                 groups: GroupsType = 2,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU'),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        _check_groups(groups)
        mid = mid_channels or out_channels // 2
        g = _groups(groups, mid)
        if mid < 1 or mid % g:
            raise ValueError(f'LiteBottleneck: mid_channels={mid} not divisible by groups={g}')
        cfg = dict(norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.conv1 = ConvModule(in_channels, mid, 1, **cfg)
        self.conv2 = ConvModule(mid, mid, 3, stride=stride, padding=1, groups=g, **cfg)
        self.conv3 = ConvModule(mid, out_channels, 1, **cfg)

    def forward(self, x: Tensor) -> Tensor:
        return self.conv3(self.conv2(self.conv1(x)))


@MODELS.register_module()
class Res2Block(BaseModule):
    """Res2Block of Fig. 2b (Res2Net, Gao et al. 2019), with input channels == output channels.

    A 1x1 conv reduces ``channels`` to ``width = channels * width_ratio`` which is split into
    ``scales`` parts x_1..x_s; as in Res2Net (Eq. 1), y_1 = x_1, y_2 = K_2(x_2) and
    y_i = K_i(x_i + y_{i-1}) for i > 2, with K_i a 3x3 group conv + BN + ReLU. So y_i sees
    x_2..x_i only, with a receptive field growing with i. The concatenated y_i go through a 1x1
    conv + BN back to ``channels``, the identity is added, then ReLU.

    Args:
        channels: input and output channels (kept equal to minimise memory access cost).
        scales: number of splits s (>= 2).
        width_ratio: bottleneck width / channels (default 1/2).
        groups: groups of every K_i (the paper uses g = 2), or ``'depthwise'``.
    """

    def __init__(self,
                 channels: int,
                 scales: int = 4,
                 width_ratio: float = 0.5,
                 groups: GroupsType = 2,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU'),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        _check_groups(groups)
        if scales < 2:
            raise ValueError(f'Res2Block: scales must be >= 2, got {scales}')
        problems = _split_problems('Res2Block', channels, width_ratio, scales, groups)
        if problems:
            raise ValueError('; '.join(problems))
        width = _scaled(channels, width_ratio)
        self.channels, self.scales, self.split = channels, scales, width // scales
        g = _groups(groups, self.split)
        self.conv1 = ConvModule(channels, width, 1, norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.convs = nn.ModuleList(
            ConvModule(self.split, self.split, 3, padding=1, groups=g, norm_cfg=norm_cfg,
                       act_cfg=act_cfg) for _ in range(scales - 1))
        self.conv3 = ConvModule(width, channels, 1, norm_cfg=norm_cfg, act_cfg=None)
        self.relu = MODELS.build(act_cfg)

    def hierarchical(self, x: Tensor) -> List[Tensor]:
        """y_1..y_s from the 1x1 conv output ``x`` (``width`` channels)."""
        xs = torch.split(x, self.split, dim=1)
        ys = [xs[0]]
        for i, conv in enumerate(self.convs, start=1):
            ys.append(conv(xs[i] if i == 1 else xs[i] + ys[-1]))
        return ys

    def forward(self, x: Tensor) -> Tensor:
        out = self.conv3(torch.cat(self.hierarchical(self.conv1(x)), dim=1))
        return self.relu(out + x)


@MODELS.register_module()
class ResBlock(BaseModule):
    """Classical ResNet bottleneck block (He et al. 2016) at the Res2Block's width.

    1x1 (channels -> width) -> one 3x3 group conv over the whole width -> 1x1 back, identity
    shortcut: a Res2Block without the split hierarchy, so Table 3 row (a) ("replacing all
    Res2Blocks by the classical ResBlocks") changes only the multi-scale structure. Res2Block's
    s - 1 small 3x3 convs cost ``(s - 1) / s^2`` of this block's single 3x3 conv.
    """

    def __init__(self,
                 channels: int,
                 width_ratio: float = 0.5,
                 groups: GroupsType = 2,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU'),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        _check_groups(groups)
        problems = _split_problems('ResBlock', channels, width_ratio, 1, groups)
        if problems:
            raise ValueError('; '.join(problems))
        width = _scaled(channels, width_ratio)
        self.conv1 = ConvModule(channels, width, 1, norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.conv2 = ConvModule(width, width, 3, padding=1, groups=_groups(groups, width),
                                norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.conv3 = ConvModule(width, channels, 1, norm_cfg=norm_cfg, act_cfg=None)
        self.relu = MODELS.build(act_cfg)

    def forward(self, x: Tensor) -> Tensor:
        return self.relu(self.conv3(self.conv2(self.conv1(x))) + x)


@MODELS.register_module()
class Res2NetLite(BaseModule):
    """Res2NetLite backbone (RefineDetLite, Table 1 and Fig. 2), four detection outputs.

    Output ``i`` of ``out_indices``: 0 = last layer of Stage2 (8c, stride 16), 1 = last layer of
    Stage3 (16c, stride 32), 2 and 3 = the extra bottlenecks (``extra_channels``, strides 64 and
    128; 5 -> 3 at 320x320). Stage4 (global pool + 1x1 conv) is the classification head and is
    not built. Trained from scratch in the paper, hence ``norm_eval=False`` by default.

    Args:
        c: width hyper-parameter (Res2NetLite72: c = 72).
        block: ``'res2'`` (Res2Blocks) or ``'res'`` (ResNet bottleneck blocks, Table 3 row a).
        stage_blocks: residual blocks per stage (Table 1: 3, 7, 3).
        scales: Res2Block splits. width_ratio: Res2Block bottleneck width / channels.
        bottleneck_ratio: 3x3 width / output channels of the downsampling bottlenecks.
        groups: groups of every 3x3 group conv (paper: g = 2), or ``'depthwise'``.
        extra_channels: output channels of the extra bottlenecks after Stage3.
        out_indices: which of the four outputs to return.
        frozen_stages: -1 none, 0 Stage0, k: Stage0..Stage k (k <= 3) frozen.
        norm_eval: keep BN layers in eval mode during training.
    """

    def __init__(self,
                 c: int = 72,
                 block: str = 'res2',
                 stage_blocks: Sequence[int] = _STAGE_BLOCKS,
                 scales: int = 4,
                 width_ratio: float = 0.5,
                 bottleneck_ratio: float = 0.5,
                 groups: GroupsType = 2,
                 extra_channels: Sequence[int] = (512, 512),
                 out_indices: Sequence[int] = (0, 1, 2, 3),
                 frozen_stages: int = -1,
                 norm_eval: bool = False,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU'),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg or [
            dict(type='Kaiming', layer='Conv2d'),
            dict(type='Constant', val=1, layer=['_BatchNorm', 'GroupNorm'])])
        if block not in ('res2', 'res'):
            raise ValueError(f"Res2NetLite: block must be 'res2' or 'res', got {block!r}")
        _check_groups(groups)
        if len(stage_blocks) != 3:
            raise ValueError(f'Res2NetLite: stage_blocks needs 3 entries, got {stage_blocks}')
        n_out = 2 + len(extra_channels)
        if not out_indices or not set(out_indices) <= set(range(n_out)):
            raise ValueError(f'Res2NetLite: out_indices must be in 0..{n_out - 1}, got '
                             f'{tuple(out_indices)}')
        if not -1 <= frozen_stages <= 3:
            raise ValueError(f'Res2NetLite: frozen_stages must be in -1..3, got {frozen_stages}')
        self._check_channels(c, block, scales, width_ratio, bottleneck_ratio, groups,
                             extra_channels)
        self.c, self.block = c, block
        self.out_indices = tuple(out_indices)
        self.frozen_stages, self.norm_eval = frozen_stages, norm_eval
        cfg = dict(norm_cfg=norm_cfg, act_cfg=act_cfg)

        # Stage0: BN on the image, 3x3/2 conv to 32 channels, 3x3/2 max-pool -> 1/4 resolution
        self.stem = nn.Sequential(
            nn.BatchNorm2d(3),
            ConvModule(3, _STEM_CHANNELS, 3, stride=2, padding=1, **cfg),
            nn.MaxPool2d(3, stride=2, padding=1))
        in_ch = _STEM_CHANNELS
        self.stages = nn.ModuleList()
        for n, k in zip(stage_blocks, _STAGE_WIDTHS, strict=True):
            out_ch = k * c
            layers = [LiteBottleneck(in_ch, out_ch, _scaled(out_ch, bottleneck_ratio),
                                     groups=groups, **cfg)]
            for _ in range(n):
                layers.append(
                    Res2Block(out_ch, scales, width_ratio, groups, **cfg) if block == 'res2'
                    else ResBlock(out_ch, width_ratio, groups, **cfg))
            self.stages.append(nn.Sequential(*layers))
            in_ch = out_ch
        channels = [_STAGE_WIDTHS[1] * c, _STAGE_WIDTHS[2] * c]
        self.extras = nn.ModuleList()
        for out_ch in extra_channels:
            self.extras.append(LiteBottleneck(in_ch, out_ch, _scaled(out_ch, bottleneck_ratio),
                                              groups=groups, **cfg))
            channels.append(out_ch)
            in_ch = out_ch
        self.out_channels: Tuple[int, ...] = tuple(channels[i] for i in self.out_indices)
        self._freeze_stages()

    @staticmethod
    def _problems(c: int, block: str, scales: int, width_ratio: float, bottleneck_ratio: float,
                  groups: GroupsType, extra_channels: Sequence[int]) -> List[str]:
        problems = []
        for k, stage in zip(_STAGE_WIDTHS, (1, 2, 3), strict=True):
            ch = k * c
            problems += _split_problems(f'Stage{stage} bottleneck ({k}c={ch})', ch,
                                        bottleneck_ratio, 1, groups)
            if block == 'res2':
                problems += _split_problems(f'Stage{stage} Res2Block ({k}c={ch})', ch,
                                            width_ratio, scales, groups)
            else:
                problems += _split_problems(f'Stage{stage} ResBlock ({k}c={ch})', ch,
                                            width_ratio, 1, groups)
        for i, ch in enumerate(extra_channels):
            problems += _split_problems(f'extra bottleneck {i} ({ch})', ch, bottleneck_ratio, 1,
                                        groups)
        return problems

    @classmethod
    def _check_channels(cls, c: int, *args) -> None:
        """Raise a ValueError naming c, groups, scales and the nearest fitting c."""
        if isinstance(c, bool) or not isinstance(c, int) or c < 1:
            raise ValueError(f'Res2NetLite: c must be a positive int, got {c!r}')
        problems = cls._problems(c, *args)
        if not problems:
            return
        block, scales, _, _, groups, _ = args
        fits = [v for v in range(1, max(4 * c, 64) + 1) if not cls._problems(v, *args)]
        hint = (f'c values that fit: {", ".join(map(str, fits[:4]))}, ... (nearest: '
                f'{min(fits, key=lambda v: (abs(v - c), v))})' if fits else
                'no c fits these settings; change groups, scales, the ratios or extra_channels')
        raise ValueError(f'Res2NetLite: c={c} does not fit groups={groups!r}, scales={scales} '
                         f'(block={block!r}): ' + '; '.join(problems) + f'. {hint}')

    def _freeze_stages(self) -> None:
        modules = ([self.stem] if self.frozen_stages >= 0 else []) + \
            list(self.stages[:max(self.frozen_stages, 0)])
        for m in modules:
            m.eval()
            for p in m.parameters():
                p.requires_grad = False

    def train(self, mode: bool = True) -> 'Res2NetLite':
        super().train(mode)
        self._freeze_stages()
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, _BatchNorm):
                    m.eval()
        return self

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        x = self.stem(x)
        x = self.stages[0](x)
        feats = [x := self.stages[1](x), x := self.stages[2](x)]
        for extra in self.extras[:max(self.out_indices) - 1]:  # only the extras needed
            feats.append(x := extra(x))
        return tuple(feats[i] for i in self.out_indices)


__all__ = ['LiteBottleneck', 'Res2Block', 'ResBlock', 'Res2NetLite']
