"""Balanced multi-task weighting of RefineDetLite, Eq. (6) (Kendall et al.'s uncertainty)."""

from typing import List, Sequence

import torch
import torch.nn as nn
from mmdet.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class BalancedMultiTaskLoss(nn.Module):
    """Weights task losses by trainable homoscedastic uncertainties, RefineDetLite Eq. (6).

    ``L = sum_k c_k exp(-s_k) L_k + s_k / 2`` with ``s_k = log sigma_k^2`` trained with the network
    (the paper trains the logarithmic form for stability), ``c_k = 1/2`` for a regression task and
    1 for a classification task. RefineDetLite's four tasks are, in order, ARM loc, ARM cls,
    ODM loc, ODM cls. Exclude ``log_vars`` from weight decay (``paramwise_cfg``): decay would pull
    every sigma to 1 whatever the data say.

    Args:
        tasks: ``'reg'`` or ``'cls'`` per task.
        init_log_var: initial s_k; 0 (sigma = 1) starts from Eq. (1) with weights c_k.
    """

    def __init__(self, tasks: Sequence[str] = ('reg', 'cls', 'reg', 'cls'),
                 init_log_var: float = 0.0) -> None:
        super().__init__()
        if not tasks or any(t not in ('reg', 'cls') for t in tasks):
            raise ValueError(f"BalancedMultiTaskLoss: tasks must be 'reg' or 'cls', got {tasks}")
        self.tasks = tuple(tasks)
        self.register_buffer('coeffs', torch.tensor([0.5 if t == 'reg' else 1.0 for t in tasks]),
                             persistent=False)
        self.log_vars = nn.Parameter(torch.full((len(tasks),), float(init_log_var)))

    def forward(self, losses: Sequence[Tensor]) -> List[Tensor]:
        """The weighted terms ``c_k exp(-s_k) L_k + s_k / 2``, one per task (their sum is Eq. 6)."""
        if len(losses) != len(self.tasks):
            raise ValueError(f'BalancedMultiTaskLoss: {len(losses)} losses for {len(self.tasks)} '
                             'tasks')
        return [self.coeffs[k] * torch.exp(-self.log_vars[k]) * loss + 0.5 * self.log_vars[k]
                for k, loss in enumerate(losses)]
