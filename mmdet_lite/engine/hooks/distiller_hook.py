"""The hook every distillation config lists: class check before training, student checkpoints."""

from mmdet.registry import HOOKS
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper

from mmdet_lite.models.distillers import BaseDistiller

from .student_checkpoint_hook import StudentCheckpointHook


@HOOKS.register_module()
class DistillerHook(StudentCheckpointHook):
    """Pairs a :class:`~mmdet_lite.models.distillers.BaseDistiller` run with its training set.

    ``before_train`` checks the teacher's classes (from its checkpoint or config) against the
    training set's, names and order, so the class list is stated once, in the dataset; the
    distiller refuses to train until this has run. Checkpoints are handled as by
    :class:`StudentCheckpointHook`: they hold the student alone and load strictly into the plain
    student config, and an interrupted run resumes with its training-only modules.
    """

    def before_train(self, runner) -> None:  # noqa: ANN001 - mmengine Runner
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        if not isinstance(model, BaseDistiller):
            raise TypeError(f'DistillerHook: the model is {type(model).__name__}, not a '
                            'distiller; remove the hook or use a distiller model type.')
        classes = getattr(runner.train_dataloader.dataset, 'metainfo', {}).get('classes')
        if classes is None:
            print_log('DistillerHook: the training set names no classes; the teacher\'s '
                      'classes are not checked against it', 'current', level=30)
            model.classes_checked = True
            return
        model.check_classes(classes)


__all__ = ['DistillerHook']
