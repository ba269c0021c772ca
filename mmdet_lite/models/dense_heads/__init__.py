from .centernet_hrnet_head import CenterNetHRNetHead
from .refinedet_lite_head import RefineDetLiteHead

__all__ = ['CenterNetHRNetHead', 'RefineDetLiteHead']
