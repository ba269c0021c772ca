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
        # An empty buffer that follows .to()/.cuda() while class_weights is still None: weights
        # set later ('auto', after the runner moved the model) take the module's device from it.
        self.register_buffer('_device_tracker', torch.empty(0), persistent=False)

    def set_class_weights(self, weights: Union[Sequence[float], Tensor]) -> None:
        """Set the per-class weights on the module's device (:class:`ClassBalancedWeightsHook`
        calls it after the runner has moved the model)."""
        self.class_weights = torch.as_tensor(weights, dtype=torch.float32,
                                             device=self._device_tracker.device)
