"""Mixed-precision training on GPU (fp16 + loss scaling) and on CPU (bfloat16 autocast).

The EfficientNet-Lite + GFLv2 paper trains with mixed precision (Apex AMP O3, Sec. 4; Table 2
rows 3-5). mmengine's :class:`~mmengine.optim.AmpOptimWrapper` does this on GPU but refuses to
start without one, although mmengine's ``autocast`` supports CPU in bfloat16. This wrapper is
``AmpOptimWrapper`` where a GPU (or NPU/MLU/MUSA) exists, and bfloat16 autocast without loss
scaling (bf16 keeps fp32's exponent range, so gradients do not underflow) on CPU, so the same
configs run on both.
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


def _accelerator_available() -> bool:
    return (is_cuda_available() or is_npu_available() or is_mlu_available()
            or is_musa_available())


@OPTIM_WRAPPERS.register_module()
class MixedPrecisionOptimWrapper(AmpOptimWrapper):
    """:class:`AmpOptimWrapper` on an accelerator, bfloat16 autocast on CPU.

    Args:
        loss_scale, dtype: as :class:`AmpOptimWrapper` (used on an accelerator).
        cpu_bf16: on CPU, autocast to bfloat16 (True) or train in fp32 with a warning (False).
        Other args: as :class:`OptimWrapper`.
    """

    def __init__(self, loss_scale: Union[str, float, dict] = 'dynamic',
                 dtype: Optional[Union[str, torch.dtype]] = None, cpu_bf16: bool = True,
                 **kwargs) -> None:
        if _accelerator_available():
            super().__init__(loss_scale=loss_scale, dtype=dtype, **kwargs)
            self.on_cpu = False
            return
        OptimWrapper.__init__(self, **kwargs)
        self.on_cpu = True
        self.loss_scaler = None
        self._scale_update_param = None
        if cpu_bf16:
            self.cast_dtype = torch.bfloat16
            print_log('MixedPrecisionOptimWrapper: no GPU, so mixed precision is bfloat16 '
                      'autocast on CPU (no loss scaling). It saves memory; whether it is faster '
                      'depends on the CPU (bf16 instructions, e.g. AVX512-BF16/AMX).', 'current')
        else:
            self.cast_dtype = None
            print_log('MixedPrecisionOptimWrapper: no GPU and cpu_bf16=False: training in '
                      'fp32 (mixed precision off).', 'current', level=logging.WARNING)

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
