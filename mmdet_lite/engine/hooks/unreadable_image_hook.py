"""Per-epoch count of the training images skipped as unreadable."""

from typing import Optional, Sequence, Set

from mmdet.registry import HOOKS
from mmengine.hooks import Hook

from mmdet_lite.datasets import DatasetError, find_checked_dataset


@HOOKS.register_module()
class UnreadableImageHook(Hook):
    """Count, per epoch, the images :class:`~mmdet_lite.datasets.CheckedCocoDataset` skipped.

    The dataset runs in the dataloader's worker processes; it tags the sample drawn in place of
    an undecodable image with ``unreadable_images`` (the skipped paths). This hook, in the main
    process, adds them up over the epoch, logs the count and the files at the epoch's end, and
    raises :class:`~mmdet_lite.datasets.DatasetError` as soon as the epoch's count exceeds the
    dataset's ``max_unreadable`` fraction. Registered in ``default_hooks`` of the base runtime.
    """

    priority = 'LOW'

    def __init__(self) -> None:
        self.skipped: Set[str] = set()  # distinct files skipped this epoch

    def before_train_epoch(self, runner) -> None:  # noqa: ANN001 - mmengine Runner
        self.skipped = set()

    def after_train_iter(self, runner, batch_idx: int, data_batch: Optional[dict] = None,  # noqa: ANN001
                         outputs: Optional[dict] = None) -> None:
        samples: Sequence = (data_batch or {}).get('data_samples') or []
        new = [p for s in samples if hasattr(s, 'metainfo')
               for p in (s.metainfo.get('unreadable_images') or [])]
        if not new:
            return
        self.skipped.update(new)
        dataset = find_checked_dataset(runner.train_dataloader.dataset)
        if dataset is not None and len(self.skipped) > dataset.unreadable_limit():
            raise DatasetError(
                f'{len(self.skipped)} unreadable images skipped in epoch {runner.epoch + 1} of '
                f"'{dataset.ann_file}' ({len(dataset)} images), more than max_unreadable="
                f'{dataset.max_unreadable}: e.g. {sorted(self.skipped)[:3]}. Re-encode or '
                'restore them, or raise max_unreadable in the dataset config.')

    def after_train_epoch(self, runner) -> None:  # noqa: ANN001
        if self.skipped:
            files = sorted(self.skipped)
            runner.logger.warning(
                f'Epoch {runner.epoch + 1}: {len(self.skipped)} unreadable training image(s) '
                f'skipped and replaced by others: {files[:10]}'
                f'{" ..." if len(files) > 10 else ""}')
