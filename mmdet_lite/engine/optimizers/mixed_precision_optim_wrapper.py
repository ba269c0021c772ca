"""Mixed-precision training on GPU (fp16 + loss scaling) and on CPU (bfloat16 where native).

The EfficientNet-Lite + GFLv2 paper trains with mixed precision (Apex AMP O3, Sec. 4; Table 2
rows 3-5). mmengine's :class:`~mmengine.optim.AmpOptimWrapper` does this on GPU but refuses to
start without one, although mmengine's ``autocast`` supports CPU in bfloat16. This wrapper is
``AmpOptimWrapper`` where a GPU (or NPU/MLU/MUSA) exists. On CPU it autocasts to bfloat16
without loss scaling (bf16 keeps fp32's exponent range, so gradients do not underflow) only where
the CPU has bf16 instructions; elsewhere bf16 is emulated and several times slower than fp32, so
it trains in fp32 and says so (:func:`mmdet_lite.utils.cpu_features.native_bf16`).
"""

import logging
from contextlib import contextmanager
from typing import Optional, Union

import torch
import torch.nn as nn
from mmdet.registry import OPTIM_WRAPPERS
from mmengine.device import is_cuda_available, is_mlu_available, is_musa_available, is_npu_available
from mmengine.logging import print_log
from mmengine.optim import AmpOptimWrapper, OptimWrapper

from ...utils.cpu_features import native_bf16


def _accelerator_available() -> bool:
    return (is_cuda_available() or is_npu_available() or is_mlu_available()
            or is_musa_available())


@OPTIM_WRAPPERS.register_module()
class MixedPrecisionOptimWrapper(AmpOptimWrapper):
    """:class:`AmpOptimWrapper` on an accelerator, bfloat16 autocast on a CPU with native bf16.

    Args:
        loss_scale, dtype: as :class:`AmpOptimWrapper` (used on an accelerator).
        cpu_bf16: on CPU, ``'auto'`` (default): bfloat16 autocast where the CPU has bf16
            instructions, fp32 elsewhere; ``True``: bfloat16 even where it is emulated (slow);
            ``False``: fp32.
        Other args: as :class:`OptimWrapper`.
    """

    def __init__(self, loss_scale: Union[str, float, dict] = 'dynamic',
                 dtype: Optional[Union[str, torch.dtype]] = None,
                 cpu_bf16: Union[bool, str] = 'auto', **kwargs) -> None:
        if cpu_bf16 not in (True, False, 'auto'):
            raise ValueError(f"MixedPrecisionOptimWrapper: cpu_bf16 must be 'auto', True or "
                             f'False, got {cpu_bf16!r}')
        if _accelerator_available():
            super().__init__(loss_scale=loss_scale, dtype=dtype, **kwargs)
            self.on_cpu = False
            return
        OptimWrapper.__init__(self, **kwargs)
        self.on_cpu = True
        self.loss_scaler = None
        self._scale_update_param = None
        self.cast_dtype = self._cpu_dtype(cpu_bf16)

    @staticmethod
    def _cpu_dtype(cpu_bf16: Union[bool, str]) -> Optional[torch.dtype]:
        """bfloat16 or None (fp32) on this CPU, with one log line saying which and why."""
        if not cpu_bf16:
            print_log('MixedPrecisionOptimWrapper: no GPU and cpu_bf16=False: training in '
                      'fp32 (mixed precision off).', 'current', level=logging.WARNING)
            return None
        native, why = native_bf16()
        if not native and cpu_bf16 == 'auto':
            print_log(f'MixedPrecisionOptimWrapper: no GPU and {why}, where bf16 autocast '
                      'is emulated and several times slower than fp32: training in fp32 '
                      '(cpu_bf16=True forces bf16).', 'current', level=logging.WARNING)
            return None
        print_log(f'MixedPrecisionOptimWrapper: no GPU, so mixed precision is bfloat16 '
                  f'autocast on CPU (no loss scaling); {why}'
                  + ('.' if native else ', so bf16 is emulated and slow.'), 'current',
                  level=logging.INFO if native else logging.WARNING)
        return torch.bfloat16

    @contextmanager
    def optim_context(self, model: nn.Module):  # noqa: ANN201 - a context manager
        if self.on_cpu and self.cast_dtype is None:  # fp32: no autocast at all
            with OptimWrapper.optim_context(self, model):
                yield
        else:
            with super().optim_context(model):
                yield

    def backward(self, loss: torch.Tensor, **kwargs) -> None:
        if self.on_cpu:
            OptimWrapper.backward(self, loss, **kwargs)
        else:
            super().backward(loss, **kwargs)

    def step(self, **kwargs) -> None:
        if self.on_cpu:
            OptimWrapper.step(self, **kwargs)
        else:
            super().step(**kwargs)

    def state_dict(self) -> dict:
        return OptimWrapper.state_dict(self) if self.on_cpu else super().state_dict()

    def load_state_dict(self, state_dict: dict) -> None:
        if self.on_cpu:
            # a checkpoint written on GPU carries the fp16 loss scaler: not used on CPU
            state_dict = {k: v for k, v in state_dict.items() if k != 'loss_scaler'}
            OptimWrapper.load_state_dict(self, state_dict)
        else:
            super().load_state_dict(state_dict)


__all__ = ['MixedPrecisionOptimWrapper']
