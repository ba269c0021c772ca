from .light_head import LightHead
from .mish import Mish

__all__ = ['LightHead', 'Mish']
