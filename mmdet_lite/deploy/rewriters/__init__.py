from .centernet_hrnet_head import centernet_hrnet_head__predict_by_feat

__all__ = ['centernet_hrnet_head__predict_by_feat']
