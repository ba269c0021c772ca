from .hard_negative_mining import hard_negative_mask
from .refinedet_decode import BoxDecoder, decode_odm_on_arm, refine_anchors

__all__ = ['BoxDecoder', 'decode_odm_on_arm', 'hard_negative_mask', 'refine_anchors']
