"""What every distiller shares: a frozen teacher built from config + checkpoint, the checks that
pair it with the student, and the loss step (student outputs, teacher outputs, compare)."""

import os.path as osp
from typing import Any, Dict, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmdet.models.detectors import SingleStageDetector
from mmdet.registry import MODELS
from mmdet.structures import SampleList
from mmdet.utils import ConfigType, OptConfigType, OptMultiConfig
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.runner.checkpoint import _load_checkpoint, _load_checkpoint_to_model
from torch import Tensor

from mmdet_lite.utils.checkpoint_fit import (
    checkpoint_classes,
    checkpoint_mismatch,
    config_classes,
    describe_mismatch,
)
from mmdet_lite.utils.config_paths import resolve_config_path


class DistillationError(RuntimeError):
    """The teacher of a distillation run cannot be used (missing, wrong classes, wrong shape)."""


def is_distiller(model_type: str) -> bool:
    """Whether a registered model type name is one of the distillers (a :class:`BaseDistiller`)."""
    cls = MODELS.get(model_type) if isinstance(model_type, str) else None
    return isinstance(cls, type) and issubclass(cls, BaseDistiller)


class BaseDistiller(SingleStageDetector):
    """A single-stage student detector distilled from a frozen teacher (not registered).

    The student *is* this detector (``backbone``, ``neck``, ``bbox_head``, ``data_preprocessor``
    as in the plain student config), so its weights load strictly into the plain student config.
    The teacher, built from ``teacher=dict(config=..., checkpoint=...)``, is held outside the
    module tree: it is not in ``state_dict()``, ``parameters()`` (hence not in the optimizer) or
    DDP, stays in eval mode, runs under ``no_grad``, and ``.to()``/``.cuda()`` move it along with
    the student. mmdet's ``KnowledgeDistillationSingleStageDetector`` holds its teacher the same
    way; this base adds the checks, and loads the teacher strictly and weights-only.

    Checks: at construction, the teacher's checkpoint against its config (weights, classes) and
    both networks' input normalisation; before training, the teacher's classes against the
    training set's (:class:`~mmdet_lite.engine.hooks.DistillerHook`, ``before_train``); on the
    first batch, that what the subclass compares pairs up (:meth:`check_pairs`, e.g. the same
    feature sizes at the real input size). Each fails with a :class:`DistillationError`.

    A subclass says what it records and how it compares it: :meth:`student_outputs` (with
    gradient), :meth:`teacher_outputs` (run under ``no_grad``), :meth:`check_pairs` and
    :meth:`distill_loss`. Subclasses that add training-only modules (adaptation layers) list
    their state-dict prefixes in ``training_only_prefixes``; the hook keeps them out of the
    checkpoints' ``state_dict`` and restores them on resume.
    """

    training_only_prefixes: Tuple[str, ...] = ()

    def __init__(self,
                 backbone: ConfigType,
                 bbox_head: ConfigType,
                 teacher: ConfigType,
                 neck: OptConfigType = None,
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 data_preprocessor: OptConfigType = None,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(backbone=backbone, neck=neck, bbox_head=bbox_head, train_cfg=train_cfg,
                         test_cfg=test_cfg, data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        teacher_model, self.teacher_classes = self._build_teacher(teacher)
        # a plain attribute, not a registered sub-module: see the class docstring
        object.__setattr__(self, 'teacher', teacher_model)
        self._check_preprocessing(teacher['config'])
        self.classes_checked = False  # set by check_classes (DistillerHook.before_train)
        self.pairs_checked = False  # set on the first batch

    # ------------------------------------------------------- what subclasses say
    def student_outputs(self, inputs: Tensor) -> Any:
        """What the student contributes to its losses (forward with gradient)."""
        raise NotImplementedError

    def teacher_outputs(self, inputs: Tensor) -> Any:
        """What the teacher contributes (called under ``no_grad``)."""
        raise NotImplementedError

    def check_pairs(self, student: Any, teacher: Any, input_shape: Tuple[int, int]) -> None:
        """Raise :class:`DistillationError` if student and teacher outputs do not pair up."""

    def distill_loss(self, student: Any, teacher: Any,
                     batch_data_samples: SampleList) -> Dict[str, Tensor]:
        """The student's detection losses plus the distillation terms."""
        raise NotImplementedError

    def uses_teacher(self) -> bool:
        """Whether the loss needs the teacher (``False`` skips its forward)."""
        return True

    # --------------------------------------------------------------- the step
    def loss(self, batch_inputs: Tensor,
             batch_data_samples: SampleList) -> Union[dict, list]:
        """Student outputs, teacher outputs (no grad), the pairing check once, the losses."""
        if not self.classes_checked:
            raise DistillationError(
                f'{type(self).__name__}: the teacher\'s classes were not checked against the '
                "training set's. Add custom_hooks=[..., dict(type='DistillerHook')] to the "
                'config, or call check_classes(dataset classes) before training.')
        student = self.student_outputs(batch_inputs)
        teacher = None
        if self.uses_teacher():
            with torch.no_grad():
                teacher = self.teacher_outputs(batch_inputs)
            if not self.pairs_checked:
                self.check_pairs(student, teacher, tuple(batch_inputs.shape[-2:]))
                self.pairs_checked = True
        return self.distill_loss(student, teacher, batch_data_samples)

    # ---------------------------------------------------------------- checks
    def check_classes(self, student_classes: Sequence[str]) -> None:
        """Raise :class:`DistillationError` if the teacher's classes differ from the student's
        (the training set's), in names or order."""
        student_classes = tuple(student_classes)
        if self.teacher_classes is not None and self.teacher_classes != student_classes:
            raise DistillationError(
                f'Teacher classes {self.teacher_classes} differ from the student classes '
                f'{student_classes}. The teacher must be trained on the same class list, in '
                'the same order.')
        self.classes_checked = True

    def _check_preprocessing(self, teacher_config: str) -> None:
        """Both networks see the student's input tensor: their normalisation must agree."""
        s_pre, t_pre = self.data_preprocessor, self.teacher.data_preprocessor

        def value(pre, attr):  # noqa: ANN001, ANN202
            val = getattr(pre, attr, None)
            return val.flatten().tolist() if isinstance(val, torch.Tensor) else val

        for attr in ('mean', 'std', '_channel_conversion'):
            s_val, t_val = value(s_pre, attr), value(t_pre, attr)
            if s_val != t_val:
                raise DistillationError(
                    f'The teacher ({teacher_config}) normalises its input with {attr}='
                    f'{t_val}, the student with {s_val}; the teacher runs on the student\'s '
                    'batch, so set the same data_preprocessor in both configs.')

    def _build_teacher(self, teacher: ConfigType) -> Tuple[nn.Module, Optional[Tuple[str, ...]]]:
        name = type(self).__name__
        if not isinstance(teacher, dict) or set(teacher) - {'config', 'checkpoint'} \
                or 'config' not in teacher or 'checkpoint' not in teacher:
            raise DistillationError(
                f'{name}: teacher must be dict(config=..., checkpoint=...), got {teacher!r}')
        cfg_path = resolve_config_path(teacher['config'])
        ckpt = teacher['checkpoint']
        if not ckpt or not (ckpt.startswith(('http://', 'https://')) or osp.isfile(ckpt)):
            raise DistillationError(
                f'Teacher checkpoint {ckpt!r} not found (cwd: {osp.abspath(".")}). Train the '
                f'teacher first, e.g. `mim train mmdet_lite {teacher["config"]}`, then set '
                '--cfg-options model.teacher.checkpoint=<path to its .pth>. Distilling from a '
                'randomly initialised teacher is refused.')
        cfg = Config.fromfile(cfg_path)
        model_cfg = cfg.model.copy()
        # the checkpoint overwrites every weight: skip downloads of pretrained backbones
        model_cfg.pop('init_cfg', None)
        if isinstance(model_cfg.get('backbone'), dict):
            model_cfg.backbone.pop('init_cfg', None)
        model = MODELS.build(model_cfg)
        num_s = self.bbox_head.num_classes
        num_t = getattr(model.bbox_head, 'num_classes', None)
        if num_t != num_s:
            raise DistillationError(
                f'Teacher config {cfg_path} predicts {num_t} classes, the student {num_s}; '
                'distillation needs the same class list. Use a teacher trained on the same '
                'dataset classes.')
        checkpoint = _load_checkpoint(ckpt, map_location='cpu')
        classes = config_classes(cfg, ('train_dataloader',))
        ckpt_classes = checkpoint_classes(checkpoint)
        if ckpt_classes is not None:
            if len(ckpt_classes) != num_s:
                raise DistillationError(
                    f'Teacher checkpoint {ckpt} was trained on {len(ckpt_classes)} classes '
                    f'{list(ckpt_classes)}, the student predicts {num_s}; distillation needs '
                    'the same class list. Train the teacher on the student\'s classes, or fix '
                    'model.teacher.checkpoint.')
            if classes is not None and ckpt_classes != classes:
                raise DistillationError(
                    f'Teacher checkpoint {ckpt} was trained on classes {ckpt_classes}, but its '
                    f'config {cfg_path} lists {classes}. Check model.teacher.checkpoint.')
            classes = ckpt_classes
        diff = checkpoint_mismatch(model, checkpoint)
        if any(diff.values()):
            raise DistillationError(
                f'Teacher checkpoint {ckpt} does not fit the teacher config {cfg_path}: '
                f'{describe_mismatch(diff)}. A class-count difference shows in the head\'s '
                'output convs; check model.teacher.config and model.teacher.checkpoint.')
        _load_checkpoint_to_model(model, checkpoint, strict=True)
        model.requires_grad_(False)
        model.eval()
        print_log(f'Teacher: {cfg_path} with weights {ckpt} (frozen, eval mode)', 'current')
        return model, classes

    @staticmethod
    def check_sizes(what: str, student: Sequence[Tuple[int, ...]],
                    teacher: Sequence[Tuple[int, ...]], input_shape: Tuple[int, int],
                    hint: str) -> None:
        """Raise :class:`DistillationError` unless the student's and the teacher's spatial sizes
        (one per paired map) are equal."""
        student, teacher = [tuple(s) for s in student], [tuple(t) for t in teacher]
        if student != teacher:
            raise DistillationError(
                f'For the {input_shape[0]}x{input_shape[1]} training input, the student\'s '
                f'{what} are {student} and the teacher\'s {teacher}: they pair one to one and '
                f'need the same spatial sizes. {hint}')

    # ------------------------------------------------- keep the teacher frozen
    def train(self, mode: bool = True) -> 'BaseDistiller':
        super().train(mode)
        if getattr(self, 'teacher', None) is not None:
            self.teacher.eval()
        return self

    def _apply(self, fn, *args, **kwargs):  # noqa: ANN001 - torch's internal signature
        # .to()/.cuda()/.cpu()/.half() reach the unregistered teacher through here
        if getattr(self, 'teacher', None) is not None:
            self.teacher._apply(fn, *args, **kwargs)
        return super()._apply(fn, *args, **kwargs)


__all__ = ['BaseDistiller', 'DistillationError', 'is_distiller']
