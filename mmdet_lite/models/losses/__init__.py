from .attention_imitation_loss import (
                                       AttentionImitationLoss,
                                       attention_map,
                                       attention_weights,
                                       batch_attention_maps,
)
from .class_balanced_focal_loss import ClassBalancedFocalLoss, class_balanced_weights
from .pairwise_similarity_loss import (
                                       PairwiseSimilarityLoss,
                                       pairwise_similarity_gram,
                                       pairwise_similarity_naive,
)
from .pixelwise_kl_loss import PixelwiseKLLoss

__all__ = [
    'AttentionImitationLoss', 'attention_map', 'attention_weights', 'batch_attention_maps',
    'ClassBalancedFocalLoss', 'class_balanced_weights', 'PixelwiseKLLoss',
    'PairwiseSimilarityLoss', 'pairwise_similarity_gram', 'pairwise_similarity_naive'
]
