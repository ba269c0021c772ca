"""2:4 structured sparsity during training (EfficientNet-Lite + GFLv2 paper, Sec. 3, Fig. 4)."""

from typing import Dict, List, Optional, Sequence, Tuple

import torch
from mmdet.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from torch import Tensor

from mmdet_lite.utils.nm_sparsity import eligible_layers, nm_mask, nm_mask_is_valid

MASKS_KEY = 'sparsity_masks'


@HOOKS.register_module()
class StructuredSparsityHook(Hook):
    """Prune to N:M (2:4) after a dense warm-up, then keep training sparse.

    The paper trains dense "to a certain stage" and then generates the sparse network, "to avoid
    the premature mask ... which causes the training convergence to be affected too much". At
    iteration ``start_iter`` (or the first iteration of epoch ``start_epoch``) this hook computes,
    for every eligible layer (dense Conv2d / Linear whose input size divides by ``m``, minus the
    ``exclude`` regexes), the magnitude mask that keeps the ``m - n`` largest weights of each group
    of ``m`` input weights, and zeroes the rest. After every optimizer step the mask is applied
    again, so the pruned weights stay zero while the kept ones train (NVIDIA ASP's recipe).

    The masks are saved in every checkpoint (``sparsity_masks``, boolean tensors) and restored on
    resume; the weights themselves carry the zeros into test, export and
    ``tools/check_sparsity.py``.

    Args:
        n, m: zeros per group and group size (2:4).
        start_iter: first iteration (0-based) that trains sparse.
        start_epoch: alternatively, first epoch (0-based) that trains sparse.
        exclude: regexes of layer names to keep dense.
    """

    priority = 'LOW'  # after the optimizer step, before checkpointing

    def __init__(self, n: int = 2, m: int = 4, start_iter: int = 0,
                 start_epoch: Optional[int] = None, exclude: Sequence[str] = ()) -> None:
        if not 0 < n < m:
            raise ValueError(f'StructuredSparsityHook: need 0 < n < m, got n={n}, m={m}')
        self.n, self.m = n, m
        self.start_iter = start_iter
        self.start_epoch = start_epoch
        self.exclude = tuple(exclude)
        self.masks: Dict[str, Tensor] = {}
        self._targets: Optional[List[Tuple[Tensor, Tensor]]] = None

    @staticmethod
    def _model(runner):  # noqa: ANN001, ANN205
        return runner.model.module if is_model_wrapper(runner.model) else runner.model

    def _start(self, runner) -> int:  # noqa: ANN001
        if self.start_epoch is None:
            return self.start_iter
        return self.start_epoch * len(runner.train_dataloader)

    @torch.no_grad()
    def _apply_masks(self, runner) -> None:  # noqa: ANN001
        # every iteration: resolve the (weight, mask) pairs once, not a module walk per step
        if self._targets is None:
            modules = dict(self._model(runner).named_modules())
            self._targets = []
            for name, mask in self.masks.items():
                weight = modules[name].weight
                self.masks[name] = mask.to(weight.device)
                self._targets.append((weight, self.masks[name]))
        for weight, mask in self._targets:
            weight.mul_(mask)

    @torch.no_grad()
    def prune(self, runner) -> None:  # noqa: ANN001
        """Compute the masks from the current weights and apply them."""
        model = self._model(runner)
        self._targets = None
        self.masks = {name: nm_mask(mod.weight, self.n, self.m)
                      for name, mod in eligible_layers(model, self.m, self.exclude)}
        if not self.masks:
            raise RuntimeError('StructuredSparsityHook: no layer is eligible for '
                               f'{self.n}:{self.m} sparsity (dense Conv2d/Linear with input '
                               f'size divisible by {self.m}, not excluded by {self.exclude})')
        self._apply_masks(runner)
        pruned = sum(int(m.numel()) for m in self.masks.values())
        total = sum(p.numel() for p in model.parameters())
        print_log(f'{self.n}:{self.m} sparsity from iteration {runner.iter}: '
                  f'{len(self.masks)} layers, {pruned / 1e6:.2f}M of {total / 1e6:.2f}M weights '
                  f'under masks ({self.n / self.m:.0%} of them zero)', 'current')

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:  # noqa: ANN001
        if not self.masks and runner.iter >= self._start(runner):
            self.prune(runner)

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,  # noqa: ANN001
                         outputs=None) -> None:  # noqa: ANN001
        if self.masks:
            self._apply_masks(runner)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:  # noqa: ANN001
        if self.masks:
            checkpoint[MASKS_KEY] = {k: v.cpu() for k, v in self.masks.items()}

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:  # noqa: ANN001
        masks = checkpoint.get(MASKS_KEY)
        if not masks:
            return
        modules = dict(self._model(runner).named_modules())
        missing = [k for k in masks if k not in modules]
        if missing:
            raise RuntimeError(f'The checkpoint\'s sparsity masks name layers the model does '
                               f'not have: {missing[:5]}; resume with the config that wrote it.')
        self._targets = None
        self.masks = {k: v.to(torch.bool) for k, v in masks.items()}
        broken = [k for k, v in self.masks.items() if not nm_mask_is_valid(v, self.n, self.m)]
        if broken:
            raise RuntimeError(f'Sparsity masks of {broken[:5]} are not {self.n}:{self.m}.')
        print_log(f'Restored {len(self.masks)} {self.n}:{self.m} sparsity masks from the '
                  'checkpoint', 'current')


__all__ = ['StructuredSparsityHook', 'MASKS_KEY']
