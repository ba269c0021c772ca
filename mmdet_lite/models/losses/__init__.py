from .attention_imitation_loss import (
                                       AttentionImitationLoss,
                                       attention_map,
                                       attention_weights,
                                       batch_attention_maps,
)
from .balanced_multitask_loss import BalancedMultiTaskLoss
from .class_balanced_focal_loss import ClassBalancedFocalLoss, class_balanced_weights
from .iou_guided_loss import (
                                       IoUGuidedCrossEntropyLoss,
                                       iou_guided_anchor_weights,
                                       iou_guided_soft_labels,
)
from .pairwise_similarity_loss import (
                                       PairwiseSimilarityLoss,
                                       pairwise_similarity_gram,
                                       pairwise_similarity_naive,
)
from .pixelwise_kl_loss import PixelwiseKLLoss

__all__ = [
    'BalancedMultiTaskLoss', 'IoUGuidedCrossEntropyLoss', 'iou_guided_anchor_weights',
    'iou_guided_soft_labels',
    'AttentionImitationLoss', 'attention_map', 'attention_weights', 'batch_attention_maps',
    'ClassBalancedFocalLoss', 'class_balanced_weights', 'PixelwiseKLLoss',
    'PairwiseSimilarityLoss', 'pairwise_similarity_gram', 'pairwise_similarity_naive'
]
