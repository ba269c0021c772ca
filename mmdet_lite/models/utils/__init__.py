from .hard_negative_mining import hard_negative_mask

__all__ = ['hard_negative_mask']
