from .centernet_hrnet_head import CenterNetHRNetHead

__all__ = ['CenterNetHRNetHead']
