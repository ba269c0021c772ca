"""Fills class weights set to ``'auto'`` from the training annotations.

Mobile CenterNet Eq. (4) and RefineDetLite Eq. (5) are the same formula."""

from typing import List

from mmdet.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from ...models.losses.class_balanced_focal_loss import class_balanced_weights
from ...models.losses.class_weights_mixin import ClassWeightsMixin


def count_boxes_per_class(dataset, num_classes: int) -> List[int]:
    """Count the non-ignored boxes of each class in a (possibly wrapped) mmdet dataset."""
    counts = [0] * num_classes
    for idx in range(len(dataset)):
        for inst in dataset.get_data_info(idx).get('instances', []):
            if inst.get('ignore_flag', 0):
                continue
            counts[int(inst['bbox_label'])] += 1
    return counts


@HOOKS.register_module()
class ClassBalancedWeightsHook(Hook):
    """Compute class weights (Mobile CenterNet Eq. 4, RefineDetLite Eq. 5) before training.

    Every loss of the model built with ``class_weights='auto'`` (:class:`ClassBalancedFocalLoss`,
    :class:`IoUGuidedCrossEntropyLoss`) receives the weights; the box counts and the weights are
    logged. Recomputed on resume (the weights are not stored in checkpoints).

    Args:
        W: weight of the rarest class.
        gamma: exponent of the frequency ratio.
    """

    priority = 'NORMAL'

    def __init__(self, W: float = 10.0, gamma: float = 0.75) -> None:
        self.W = W
        self.gamma = gamma

    def before_train(self, runner: Runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        losses = [m for m in model.modules()
                  if isinstance(m, ClassWeightsMixin) and m.auto_weights]
        if not losses:
            raise RuntimeError(
                "ClassBalancedWeightsHook found no loss with class_weights='auto' in the model "
                '(ClassBalancedFocalLoss, IoUGuidedCrossEntropyLoss): set it in the config, or '
                'remove the hook.')
        dataset = runner.train_dataloader.dataset
        classes = dataset.metainfo['classes']
        counts = count_boxes_per_class(dataset, len(classes))
        weights = class_balanced_weights(counts, W=self.W, gamma=self.gamma)
        for loss in losses:
            loss.set_class_weights(weights)
        table = ', '.join(f'{name}: {n} boxes -> w={w:.3f}'
                          for name, n, w in zip(classes, counts, weights.tolist(), strict=True))
        runner.logger.info(f'Class-balanced loss weights (W={self.W}, '
                           f'gamma={self.gamma}): {table}')
        if any(n == 0 for n in counts):
            runner.logger.warning('Some classes have no training boxes; they get weight W.')
