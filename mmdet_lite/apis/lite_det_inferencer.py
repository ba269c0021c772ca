"""mmdet's DetInferencer with strict weight loading and checked image arrays."""

from typing import Optional, Union

import cv2
import numpy as np
import torch.nn as nn
from mmdet.apis import DetInferencer
from mmdet.utils import ConfigType

from mmdet_lite.utils.checkpoint_fit import check_checkpoint_fits, config_classes


class LiteDetInferencer(DetInferencer):
    """:class:`mmdet.apis.DetInferencer` that refuses weights which do not fit the config.

    mmdet's inferencer loads ``weights`` non-strictly, so a checkpoint of another architecture or
    class count predicts from a mostly random model with only log warnings. Here the checkpoint
    must load strictly and, when both name them, be trained on the config's classes
    (:class:`~mmdet_lite.utils.checkpoint_fit.CheckpointMismatchError` otherwise);
    ``strict=False`` allows a deliberate partial load. Image arrays are checked: a grey image
    (``H x W`` or ``H x W x 1``) becomes 3-channel BGR, other channel counts are refused with
    their shape (mmdet's preprocessor fails on them with a bare ``IndexError``).

    Args:
        strict: refuse weights that do not fit (default).
        Other arguments as :class:`mmdet.apis.DetInferencer`.
    """

    def __init__(self, model: Optional[Union[ConfigType, str]] = None,
                 weights: Optional[str] = None, device: Optional[str] = None,
                 strict: bool = True, **kwargs) -> None:
        # read by _load_weights_to_model, which the base constructor calls
        self.strict = strict
        self._weights = weights
        self._model_name = model if isinstance(model, str) else 'the config'
        super().__init__(model=model, weights=weights, device=device, **kwargs)

    def _load_weights_to_model(self, model: nn.Module, checkpoint: Optional[dict],
                               cfg: Optional[ConfigType]) -> None:
        if checkpoint is not None and self.strict:
            check_checkpoint_fits(model, checkpoint, str(self._weights), self._model_name,
                                  classes=config_classes(cfg), opt_out='strict=False')
        super()._load_weights_to_model(model, checkpoint, cfg)

    def _inputs_to_list(self, inputs: object) -> list:
        items = super()._inputs_to_list(inputs)
        return [as_bgr_image(x, i) if isinstance(x, np.ndarray) else x
                for i, x in enumerate(items)]


def as_bgr_image(img: np.ndarray, index: int = 0) -> np.ndarray:
    """``img`` as an ``H x W x 3`` array: grey images are replicated to 3 channels."""
    if img.ndim == 2 or (img.ndim == 3 and img.shape[2] == 1):
        return cv2.cvtColor(np.ascontiguousarray(img.reshape(img.shape[:2])),
                            cv2.COLOR_GRAY2BGR)
    if img.ndim == 3 and img.shape[2] == 3:
        return img
    raise ValueError(f'Input #{index}: image array of shape {tuple(img.shape)}; expected H x W x 3 '
                     '(BGR) or a grey H x W image. Drop the alpha channel of BGRA images, e.g. '
                     '`img[..., :3]`.')
