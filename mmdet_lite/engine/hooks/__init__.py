from .class_balanced_weights_hook import ClassBalancedWeightsHook, count_boxes_per_class
from .distiller_hook import DistillerHook
from .structured_sparsity_hook import StructuredSparsityHook
from .student_checkpoint_hook import StudentCheckpointHook
from .unreadable_image_hook import UnreadableImageHook

__all__ = ['ClassBalancedWeightsHook', 'DistillerHook', 'StructuredSparsityHook',
           'StudentCheckpointHook', 'UnreadableImageHook', 'count_boxes_per_class']
