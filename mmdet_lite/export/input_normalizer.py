"""The data preprocessor's input normalisation as graph operators, for the export wrappers."""

import torch
import torch.nn as nn
from torch import Tensor


class InputNormalizer(nn.Module):
    """Raw ``[B, 3, H, W]`` pixels (mmcv's BGR) -> the detector's normalised input.

    BGR->RGB by a channel concat (no Gather with an index tensor) when the data preprocessor
    converts, then ``(x - mean) / std``: a division, as ``DetDataPreprocessor``, because
    ``x * (1 / std)`` differs in the last bit and deep networks amplify that (to ~1e-4 on the
    scores with random weights).
    """

    def __init__(self, data_preprocessor: nn.Module) -> None:
        super().__init__()
        pre = data_preprocessor
        # a preprocessor without mean/std (e.g. YOLOX's) feeds raw pixels
        self.normalize = bool(getattr(pre, '_enable_normalize', True))
        if self.normalize:
            self.register_buffer('mean', pre.mean.detach().clone().view(1, 3, 1, 1),
                                 persistent=False)
            self.register_buffer('std', pre.std.detach().clone().view(1, 3, 1, 1),
                                 persistent=False)
        self.bgr_to_rgb = bool(getattr(pre, '_channel_conversion', False))

    def forward(self, img: Tensor) -> Tensor:
        if self.bgr_to_rgb:
            img = torch.cat([img[:, 2:3], img[:, 1:2], img[:, 0:1]], dim=1)
        return (img - self.mean) / self.std if self.normalize else img


__all__ = ['InputNormalizer']
