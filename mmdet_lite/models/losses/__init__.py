from .class_balanced_focal_loss import ClassBalancedFocalLoss, class_balanced_weights
from .pairwise_similarity_loss import (
                                       PairwiseSimilarityLoss,
                                       pairwise_similarity_gram,
                                       pairwise_similarity_naive,
)
from .pixelwise_kl_loss import PixelwiseKLLoss

__all__ = [
    'ClassBalancedFocalLoss', 'class_balanced_weights', 'PixelwiseKLLoss',
    'PairwiseSimilarityLoss', 'pairwise_similarity_gram', 'pairwise_similarity_naive'
]
