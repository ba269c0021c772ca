"""Teacher handling shared by the distillers: a frozen teacher built from config + checkpoint."""

import os.path as osp
from typing import Optional, Sequence, Tuple

import torch
import torch.nn as nn
from mmdet.models.detectors import SingleStageDetector
from mmdet.registry import MODELS
from mmdet.utils import ConfigType
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.runner.checkpoint import _load_checkpoint, _load_checkpoint_to_model

from mmdet_lite.utils.checkpoint_fit import (
    checkpoint_classes,
    checkpoint_mismatch,
    describe_mismatch,
)
from mmdet_lite.utils.config_paths import resolve_config_path


class DistillationError(RuntimeError):
    """The teacher of a distillation run cannot be used (missing, wrong classes, wrong shape)."""


def _config_classes(cfg: Config) -> Optional[Tuple[str, ...]]:
    """Class names of a config's training set, if the config names them."""
    try:
        classes = cfg.train_dataloader.dataset.metainfo.classes
    except AttributeError:
        return None
    return tuple(classes)


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
    DDP, stays in eval mode, and ``.to()``/``.cuda()`` move it along with the student.

    Subclasses that add training-only modules (adaptation layers) list their state-dict prefixes
    in ``training_only_prefixes``; :class:`~mmdet_lite.engine.hooks.StudentCheckpointHook` keeps
    them out of the checkpoints' ``state_dict`` and restores them on resume.
    """

    training_only_prefixes: Tuple[str, ...] = ()

    def _init_teacher(self, teacher: ConfigType,
                      student_classes: Optional[Sequence[str]] = None) -> None:
        teacher_model, teacher_classes = self._build_teacher(teacher)
        # a plain attribute, not a registered sub-module: see the class docstring
        object.__setattr__(self, 'teacher', teacher_model)
        self.teacher_classes = teacher_classes
        if student_classes is not None:
            self.check_classes(student_classes)
        self._check_preprocessing(teacher['config'])

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
        classes = _config_classes(cfg)
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

    def check_classes(self, student_classes: Sequence[str]) -> None:
        """Raise :class:`DistillationError` if the teacher's classes differ from the student's."""
        student_classes = tuple(student_classes)
        if self.teacher_classes is not None and self.teacher_classes != student_classes:
            raise DistillationError(
                f'Teacher classes {self.teacher_classes} differ from the student classes '
                f'{student_classes}. The teacher must be trained on the same class list, in '
                'the same order.')

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
