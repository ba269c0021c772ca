from .class_balanced_focal_loss import ClassBalancedFocalLoss, class_balanced_weights

__all__ = ['ClassBalancedFocalLoss', 'class_balanced_weights']
