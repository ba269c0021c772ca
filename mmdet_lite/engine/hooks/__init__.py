from .class_balanced_weights_hook import ClassBalancedWeightsHook, count_boxes_per_class
from .structured_sparsity_hook import StructuredSparsityHook
from .student_checkpoint_hook import StudentCheckpointHook

__all__ = ['ClassBalancedWeightsHook', 'StructuredSparsityHook', 'StudentCheckpointHook',
           'count_boxes_per_class']
