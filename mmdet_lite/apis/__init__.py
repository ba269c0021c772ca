from .lite_det_inferencer import LiteDetInferencer

__all__ = ['LiteDetInferencer']
