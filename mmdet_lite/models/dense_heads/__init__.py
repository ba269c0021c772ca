from .centernet_hrnet_head import CenterNetHRNetHead
from .gflv2_head import GFLv2Head, joint_logit
from .gflv2_ld_head import GFLv2LDHead
from .refinedet_lite_head import RefineDetLiteHead

__all__ = ['CenterNetHRNetHead', 'GFLv2Head', 'GFLv2LDHead', 'RefineDetLiteHead', 'joint_logit']
