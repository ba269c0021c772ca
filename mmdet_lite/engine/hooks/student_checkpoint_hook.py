"""Checkpoints of a distillation run that load as plain student checkpoints."""

from typing import Tuple

from mmdet.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

DISTILL_KEY = 'distiller_state_dict'


def _prefixes(runner) -> Tuple[str, ...]:  # noqa: ANN001 - mmengine Runner
    model = runner.model.module if is_model_wrapper(runner.model) else runner.model
    return tuple(getattr(model, 'training_only_prefixes', ()))


@HOOKS.register_module()
class StudentCheckpointHook(Hook):
    """Keep a distiller's training-only weights out of the checkpoint's ``state_dict``.

    Distillers list the state-dict prefixes of their training-only modules (e.g. the adaptation
    layers of :class:`~mmdet_lite.models.distillers.AttentionDistiller`) in
    ``training_only_prefixes``. Before a checkpoint is written, those entries move from
    ``state_dict`` to ``distiller_state_dict``, so every checkpoint of the run loads with
    ``strict=True`` into the plain student config for test and export. On load (``--resume``,
    ``load_from``) they move back, so an interrupted run resumes with its adaptation layers.
    """

    priority = 'VERY_LOW'

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:  # noqa: ANN001
        prefixes = _prefixes(runner)
        if not prefixes:
            return
        state = checkpoint['state_dict']
        moved = {k: state.pop(k) for k in [k for k in state if k.startswith(prefixes)]}
        checkpoint[DISTILL_KEY] = moved
        checkpoint.setdefault('meta', {})['student_only_state_dict'] = True

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:  # noqa: ANN001
        extra = checkpoint.pop(DISTILL_KEY, None)
        if extra and _prefixes(runner):
            checkpoint['state_dict'].update(extra)


__all__ = ['StudentCheckpointHook']
