"""Params and MACs of a config's model, as the papers' tables count them (mmengine.analysis)."""

import torch
import torch.nn as nn
from mmdet.registry import MODELS
from mmengine.analysis import get_model_complexity_info
from mmengine.config import Config
from mmengine.registry import init_default_scope


class _TensorForward(nn.Module):
    """Expose a detector's tensor path (``_forward``) as a plain ``forward(x)``."""

    def __init__(self, detector: nn.Module) -> None:
        super().__init__()
        self.detector = detector

    def forward(self, x: torch.Tensor):  # noqa: ANN201
        return self.detector._forward(x)


def model_complexity(cfg: Config, shape: tuple) -> dict:
    """Params (M) and GMACs of ``cfg.model`` (and of its backbone) for a ``1x3xHxW`` input.

    GMACs are multiply-accumulates on the tensor path (backbone, neck, head; no
    post-processing). Distiller configs are refused: count the plain student config.
    """
    if cfg.model.get('teacher') is not None:
        raise ValueError(f'{cfg.model.type} is a distillation wrapper; analyse the plain student '
                         'config (same model without the teacher) instead.')
    init_default_scope(cfg.get('default_scope', 'mmdet'))
    model_cfg = cfg.model.copy()
    if 'backbone' in model_cfg:  # no pretrained downloads just to count
        model_cfg.backbone.pop('init_cfg', None)
    model = MODELS.build(model_cfg)
    model.eval()
    x = torch.zeros(1, 3, *shape)
    with torch.no_grad():
        info = get_model_complexity_info(_TensorForward(model), inputs=(x, ), show_table=False,
                                         show_arch=False)
        bb = get_model_complexity_info(model.backbone, inputs=(x, ), show_table=False,
                                       show_arch=False)
    return dict(shape=list(shape), params_M=info['params'] / 1e6, gmacs=info['flops'] / 1e9,
                backbone_params_M=bb['params'] / 1e6, backbone_gmacs=bb['flops'] / 1e9)


__all__ = ['model_complexity']
