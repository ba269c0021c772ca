from .class_balanced_weights_hook import ClassBalancedWeightsHook, count_boxes_per_class
from .student_checkpoint_hook import StudentCheckpointHook

__all__ = ['ClassBalancedWeightsHook', 'StudentCheckpointHook', 'count_boxes_per_class']
