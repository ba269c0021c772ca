"""EfficientNet-Lite, the backbone of the EfficientNet-Lite + PAN + GFLv2 detector (Sec. 3, Fig. 2).

EfficientNet-Lite (Tan & Le's EfficientNet, "lite" variants for mobile accelerators) is
EfficientNet-B0's MBConv stack with three changes, which the paper lists: no squeeze-and-excite,
ReLU6 instead of swish, and a stem (32 channels) and head (1280 channels) that do not scale with
the width coefficient; the first and last stages do not scale with depth either. The variants
lite0 ... lite4 differ only in (width, depth) coefficients and their native input resolution.

The activation is a config option (``act_cfg``): the paper trains with SiLU because ReLU6 starves
the 2:4-sparse network of gradients (Sec. 3, Fig. 3), and tries Mish (Table 2 row 2).
"""

import math
from typing import List, Optional, Sequence, Tuple

import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmcv.cnn.bricks import DropPath
from mmdet.registry import MODELS
from mmdet.utils import ConfigType, OptMultiConfig
from mmengine.model import BaseModule
from torch import Tensor
from torch.nn.modules.batchnorm import _BatchNorm

# EfficientNet-B0 stages: (kernel, repeats, out channels, expand ratio, stride)
_B0_STAGES = ((3, 1, 16, 1, 1), (3, 2, 24, 6, 2), (5, 2, 40, 6, 2), (3, 3, 80, 6, 2),
              (5, 3, 112, 6, 1), (5, 4, 192, 6, 2), (3, 1, 320, 6, 1))
# variant: (width, depth, native resolution), from the reference efficientnet_lite_builder
ARCH_SETTINGS = {
    'lite0': (1.0, 1.0, 224),
    'lite1': (1.0, 1.1, 240),
    'lite2': (1.1, 1.2, 260),
    'lite3': (1.2, 1.4, 280),
    'lite4': (1.4, 1.8, 300),
}
STEM_CHANNELS = 32
HEAD_CHANNELS = 1280


def round_channels(channels: float, width: float, divisor: int = 8) -> int:
    """EfficientNet's channel rounding: nearest multiple of ``divisor``, never 10 % below."""
    scaled = channels * width
    rounded = max(divisor, int(scaled + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * scaled else rounded


def stage_settings(arch: str) -> List[Tuple[int, int, int, int, int]]:
    """Per-stage (kernel, repeats, out channels, expand ratio, stride) of a lite variant."""
    width, depth, _ = ARCH_SETTINGS[arch]
    stages = []
    for i, (k, r, c, e, s) in enumerate(_B0_STAGES):
        fixed = i in (0, len(_B0_STAGES) - 1)  # lite: first and last stage keep their depth
        stages.append((k, r if fixed else int(math.ceil(depth * r)), round_channels(c, width),
                       e, s))
    return stages


def tf_same_pad(x: Tensor, kernel_size: int, stride: int) -> Tensor:
    """TensorFlow's ``SAME`` padding of a strided conv (the extra pixel at the bottom / right),
    which the ImageNet weights of EfficientNet-Lite (``tf_efficientnet_lite*``) were trained
    with; for these static sizes the pads are constants of the traced graph."""
    pads = []
    for size in (x.shape[-1], x.shape[-2]):
        total = max((math.ceil(size / stride) - 1) * stride + kernel_size - size, 0)
        pads += [total // 2, total - total // 2]
    return F.pad(x, pads)


class MBConv(BaseModule):
    """Inverted residual block without squeeze-and-excite: 1x1 expand, kxk depthwise, 1x1 project.

    The projection is linear (no activation); the shortcut exists when stride is 1 and the
    channels do not change, with stochastic depth (``drop_path_rate``) on the residual branch.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int,
                 expand_ratio: int, drop_path_rate: float, norm_cfg: ConfigType,
                 act_cfg: ConfigType, tf_padding: bool = False,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg)
        mid = in_channels * expand_ratio
        self.use_shortcut = stride == 1 and in_channels == out_channels
        self.expand_conv = ConvModule(in_channels, mid, 1, norm_cfg=norm_cfg,
                                      act_cfg=act_cfg) if expand_ratio != 1 else None
        # SAME padding of a strided conv is asymmetric; for stride 1 it equals kernel_size // 2
        self.same_pad = (kernel_size, stride) if tf_padding and stride > 1 else None
        self.depthwise_conv = ConvModule(mid, mid, kernel_size, stride,
                                         0 if self.same_pad else kernel_size // 2,
                                         groups=mid, norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.project_conv = ConvModule(mid, out_channels, 1, norm_cfg=norm_cfg, act_cfg=None)
        self.drop_path = DropPath(drop_path_rate) if drop_path_rate > 0 else nn.Identity()

    def forward(self, x: Tensor) -> Tensor:
        out = x if self.expand_conv is None else self.expand_conv(x)
        if self.same_pad:
            out = tf_same_pad(out, *self.same_pad)
        out = self.project_conv(self.depthwise_conv(out))
        return x + self.drop_path(out) if self.use_shortcut else out


@MODELS.register_module()
class EfficientNetLite(BaseModule):
    """EfficientNet-Lite backbone (lite0 ... lite4) with a selectable activation.

    Layers: ``stem`` (3x3/2 conv, 32 channels), ``stage1`` ... ``stage7`` (MBConv stacks of
    EfficientNet-B0 scaled by the variant's width/depth coefficients) and, with
    ``with_conv_head=True``, ``conv_head`` (1x1 conv to 1280 channels, the classifier's feature
    layer; detection does not use it). ``out_indices`` count the stages from 0 (stage1) to 6
    (stage7) and 7 for ``conv_head``: the default ``(2, 4, 6)`` gives strides 8, 16, 32 with
    40, 112, 320 channels for lite0/lite1, the three pyramid levels of the paper's detector.

    Args:
        arch: ``'lite0'`` ... ``'lite4'``.
        out_indices: which stage outputs to return.
        act_cfg: activation of every conv but the linear projections: ReLU6 (EfficientNet-Lite's
            own), SiLU (the paper's final choice) or Mish.
        norm_cfg: normalisation (BN with the reference's momentum 0.01 / eps 1e-3).
        drop_path_rate: stochastic depth rate, increased linearly over the blocks.
        frozen_stages: freeze the stem and the first ``frozen_stages`` stages (-1: none).
        norm_eval: keep BN layers in eval mode while training.
        with_conv_head: build the 1280-channel head conv.
        tf_padding: TensorFlow's ``SAME`` padding in the strided convs (one extra pixel at the
            bottom / right instead of one on each side), as the ImageNet weights converted by
            ``tools/model_converters/efficientnet_lite_to_mmdet_lite.py`` were trained with; the
            state dict is the same either way.
    """

    def __init__(self,
                 arch: str = 'lite0',
                 out_indices: Sequence[int] = (2, 4, 6),
                 act_cfg: ConfigType = dict(type='ReLU6'),
                 norm_cfg: ConfigType = dict(type='BN', momentum=0.01, eps=1e-3),
                 drop_path_rate: float = 0.0,
                 frozen_stages: int = -1,
                 norm_eval: bool = False,
                 with_conv_head: bool = False,
                 tf_padding: bool = False,
                 init_cfg: OptMultiConfig = dict(type='Kaiming', layer='Conv2d',
                                                 mode='fan_out', nonlinearity='relu')) -> None:
        super().__init__(init_cfg)
        if arch not in ARCH_SETTINGS:
            raise ValueError(f'EfficientNetLite: unknown arch {arch!r}; choose one of '
                             f'{sorted(ARCH_SETTINGS)}')
        num_layers = len(_B0_STAGES) + (1 if with_conv_head else 0)
        bad = [i for i in out_indices if not 0 <= i < num_layers]
        if bad:
            hint = ' + conv_head' if with_conv_head else '; 7 needs with_conv_head=True'
            raise ValueError(f'EfficientNetLite: out_indices {tuple(out_indices)} out of range '
                             f'0..{num_layers - 1} (7 stages{hint})')
        self.arch = arch
        self.out_indices = tuple(out_indices)
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval

        settings = stage_settings(arch)
        total_blocks = sum(r for _, r, _, _, _ in settings)
        self.tf_padding = tf_padding
        self.stem = ConvModule(3, STEM_CHANNELS, 3, 2, 0 if tf_padding else 1, norm_cfg=norm_cfg,
                               act_cfg=act_cfg)
        self.layer_names: List[str] = []
        self.out_channels: List[int] = []
        in_ch, block_id = STEM_CHANNELS, 0
        for i, (k, repeats, out_ch, expand, stride) in enumerate(settings):
            blocks = []
            for j in range(repeats):
                rate = drop_path_rate * block_id / total_blocks
                blocks.append(MBConv(in_ch, out_ch, k, stride if j == 0 else 1, expand, rate,
                                     norm_cfg, act_cfg, tf_padding))
                in_ch, block_id = out_ch, block_id + 1
            name = f'stage{i + 1}'
            self.add_module(name, nn.Sequential(*blocks))
            self.layer_names.append(name)
            self.out_channels.append(out_ch)
        if with_conv_head:
            self.conv_head = ConvModule(in_ch, HEAD_CHANNELS, 1, norm_cfg=norm_cfg,
                                        act_cfg=act_cfg)
            self.layer_names.append('conv_head')
            self.out_channels.append(HEAD_CHANNELS)
        self._freeze_stages()

    @property
    def pyramid_channels(self) -> List[int]:
        """Channels of the returned feature maps, in ``out_indices`` order."""
        return [self.out_channels[i] for i in self.out_indices]

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        x = self.stem(tf_same_pad(x, 3, 2) if self.tf_padding else x)
        outs = []
        for i, name in enumerate(self.layer_names):
            x = getattr(self, name)(x)
            if i in self.out_indices:
                outs.append(x)
            if i >= max(self.out_indices):
                break
        return tuple(outs)

    def _freeze_stages(self) -> None:
        if self.frozen_stages < 0:
            return
        modules: List[Optional[nn.Module]] = [self.stem] + [
            getattr(self, self.layer_names[i]) for i in range(self.frozen_stages)]
        for m in modules:
            m.eval()
            for p in m.parameters():
                p.requires_grad = False

    def train(self, mode: bool = True) -> 'EfficientNetLite':
        super().train(mode)
        self._freeze_stages()
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, _BatchNorm):
                    m.eval()
        return self
