from .lite_pan import LitePAN

__all__ = ['LitePAN']
