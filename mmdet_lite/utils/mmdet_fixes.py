"""Fixes for known bugs of the pinned mmdet (3.3.0), applied by ``import mmdet_lite``."""

import functools

from mmdet.models.dense_heads import SSDHead


def fix_ssd_head_predict() -> None:
    """Let ``SSDHead.predict`` run: mmdet 3.3.0 reads ``self.loss_cls``, which SSDHead never sets.

    ``BaseDenseHead._predict_by_feat_single`` does ``getattr(self.loss_cls, ...)``, but SSDHead
    skips ``AnchorHead.__init__`` where ``loss_cls`` is built, so every SSD test/val run fails
    with ``AttributeError: 'SSDHead' object has no attribute 'loss_cls'`` (open-mmlab/mmdetection
    issues 11063, 11305, 11780). An instance attribute ``loss_cls = None`` (not a module, so not
    in the state dict) gives mmdet's fallback path, the softmax over classes. Idempotent.
    """
    init = SSDHead.__init__
    if getattr(init, '_mmdet_lite_fixed', False):
        return

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):  # noqa: ANN001, ANN202, N807
        init(self, *args, **kwargs)
        if 'loss_cls' not in self._modules and 'loss_cls' not in self.__dict__:
            self.loss_cls = None

    __init__._mmdet_lite_fixed = True
    SSDHead.__init__ = __init__


__all__ = ['fix_ssd_head_predict']
