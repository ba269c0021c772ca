"""Per-class loss weights given in the config or filled from the training set (``'auto'``)."""

from typing import Sequence, Union

import torch
from torch import Tensor

ClassWeights = Union[None, str, Sequence[float]]


class ClassWeightsMixin:
    """``class_weights``: ``None`` (ones), a list of floats, or ``'auto'``.

    ``'auto'`` leaves them to :class:`ClassBalancedWeightsHook`, which computes Mobile CenterNet
    Eq. (4) / RefineDetLite Eq. (5) from the training annotations before training and calls
    :meth:`set_class_weights` on every module of this kind with ``auto_weights``.
    """

    def _init_class_weights(self, class_weights: ClassWeights) -> None:
        if isinstance(class_weights, str) and class_weights != 'auto':
            raise ValueError(f"class_weights must be None, a list of floats or 'auto', "
                             f'got {class_weights!r}')
        self.auto_weights = class_weights == 'auto'
        weights = None if class_weights is None or self.auto_weights else torch.as_tensor(
            class_weights, dtype=torch.float32)
        # Not persistent: the weights are a training-time choice, so checkpoints trained with and
        # without them stay interchangeable (strict loading works both ways).
        self.register_buffer('class_weights', weights, persistent=False)

    def set_class_weights(self, weights: Union[Sequence[float], Tensor]) -> None:
        """Set the per-class weights (used by :class:`ClassBalancedWeightsHook`)."""
        device = self.class_weights.device if self.class_weights is not None else 'cpu'
        self.class_weights = torch.as_tensor(weights, dtype=torch.float32, device=device)
