from .checked_coco_metric import CheckedCocoMetric, NonFiniteOutputError

__all__ = ['CheckedCocoMetric', 'NonFiniteOutputError']
