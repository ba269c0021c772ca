"""Registers ``Mish`` (Misra 2019) as an activation for mmcv's ``act_cfg``.

mmcv 2.x registers ReLU6, SiLU, Swish, ... but not Mish, which Table 2 row 2 of the
EfficientNet-Lite + GFLv2 paper uses (``act_cfg=dict(type='Mish')``). torch has ``nn.Mish``; this
only makes it buildable by name from configs.
"""

import torch.nn as nn
from mmengine.registry import MODELS as MMENGINE_MODELS

Mish = nn.Mish
if 'Mish' not in MMENGINE_MODELS.module_dict:  # mmcv builds activations from mmengine's root
    MMENGINE_MODELS.register_module(name='Mish', module=nn.Mish)

__all__ = ['Mish']
