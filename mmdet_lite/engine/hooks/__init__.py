from .class_balanced_weights_hook import ClassBalancedWeightsHook, count_boxes_per_class

__all__ = ['ClassBalancedWeightsHook', 'count_boxes_per_class']
