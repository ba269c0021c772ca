from .light_head import LightHead

__all__ = ['LightHead']
