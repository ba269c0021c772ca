from .centernet_hrnet_head import centernet_hrnet_head__predict_by_feat
from .refinedet_lite_head import refinedet_lite_head__predict_by_feat
from .ssd_gfl_heads import ssd_gfl_head__predict_by_feat

__all__ = ['centernet_hrnet_head__predict_by_feat', 'refinedet_lite_head__predict_by_feat',
           'ssd_gfl_head__predict_by_feat']
