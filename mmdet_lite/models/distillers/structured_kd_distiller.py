"""Structured knowledge distillation for Mobile CenterNet (Sec. 3.2, Eq. 8-11, Fig. 2)."""

import os.path as osp
from typing import Dict, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmdet.models.detectors import SingleStageDetector
from mmdet.models.utils import unpack_gt_instances
from mmdet.registry import MODELS
from mmdet.structures import SampleList
from mmdet.utils import ConfigType, OptConfigType, OptMultiConfig
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.runner import load_checkpoint
from torch import Tensor

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


@MODELS.register_module()
class StructuredKDDistiller(SingleStageDetector):
    """A CenterNet student trained with a frozen teacher's soft targets, Eq. (11).

    ``L_KD = L_det + lambda_pa * L_pa + lambda_pi * L_pi``: ``L_pi`` (:class:`PixelwiseKLLoss`,
    Eq. 8) on the heatmap logits and ``L_pa`` (:class:`PairwiseSimilarityLoss`, Eq. 9-10) on
    HRNet's stage-4 highest-resolution feature (the branch the head reads, ``in_index``).

    The student is this detector itself (``backbone``, ``neck``, ``bbox_head``,
    ``data_preprocessor`` as in the plain student config), so a KD checkpoint is a plain student
    checkpoint: it loads with ``strict=True`` into the student config, no conversion. The teacher,
    built from its own config and checkpoint, is held outside the module tree: it is not in
    ``state_dict()``, ``parameters()`` (hence not in the optimizer) or DDP, stays in eval mode,
    and runs under ``no_grad``; ``.to()``/``.cuda()`` move it along with the student.

    Args:
        teacher: ``dict(config=..., checkpoint=...)``. The config path resolves from the working
            directory, the repo root or the installed package. The checkpoint must exist.
        loss_pixel: config of the pixel-wise loss (``None`` to disable).
        loss_pair: config of the pair-wise loss (``None`` to disable).
        student_classes: the student's class names; checked against the teacher's at start-up.
        teacher_feature_index: teacher backbone output for ``L_pa`` (default: the teacher
            head's ``in_index``).
        check_shape: input ``(H, W)`` of the start-up check that student and teacher features and
            heatmaps have the same spatial size.
        Other args: as :class:`mmdet.models.detectors.SingleStageDetector`.
    """

    def __init__(self,
                 backbone: ConfigType,
                 bbox_head: ConfigType,
                 teacher: ConfigType,
                 neck: OptConfigType = None,
                 loss_pixel: OptConfigType = dict(type='PixelwiseKLLoss', tau=1.0,
                                                  loss_weight=0.1),
                 loss_pair: OptConfigType = dict(type='PairwiseSimilarityLoss', loss_weight=10.0),
                 student_classes: Optional[Sequence[str]] = None,
                 teacher_feature_index: Optional[int] = None,
                 check_shape: Tuple[int, int] = (64, 64),
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 data_preprocessor: OptConfigType = None,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(backbone=backbone, neck=neck, bbox_head=bbox_head, train_cfg=train_cfg,
                         test_cfg=test_cfg, data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.loss_pixel = MODELS.build(loss_pixel) if loss_pixel else None
        self.loss_pair = MODELS.build(loss_pair) if loss_pair else None
        teacher_model, teacher_classes = self._build_teacher(teacher)
        # a plain attribute, not a registered sub-module: see the class docstring
        object.__setattr__(self, 'teacher', teacher_model)
        self.teacher_classes = teacher_classes
        self.teacher_feature_index = (teacher_model.bbox_head.in_index
                                      if teacher_feature_index is None else teacher_feature_index)
        if student_classes is not None:
            self.check_classes(student_classes)
        self._check_shapes(check_shape)

    # ------------------------------------------------------------------ teacher
    def _build_teacher(self, teacher: ConfigType) -> Tuple[nn.Module, Optional[Tuple[str, ...]]]:
        if not isinstance(teacher, dict) or set(teacher) - {'config', 'checkpoint'} \
                or 'config' not in teacher or 'checkpoint' not in teacher:
            raise DistillationError(
                f'StructuredKDDistiller: teacher must be dict(config=..., checkpoint=...), got '
                f'{teacher!r}')
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
        model = MODELS.build(model_cfg)
        num_s = self.bbox_head.num_classes
        num_t = getattr(model.bbox_head, 'num_classes', None)
        if num_t != num_s:
            raise DistillationError(
                f'Teacher config {cfg_path} predicts {num_t} classes, the student {num_s}; '
                'distillation needs the same class list. Use a teacher trained on the same '
                'dataset classes.')
        checkpoint = load_checkpoint(model, ckpt, map_location='cpu', strict=True,
                                     logger='current')
        classes = _config_classes(cfg)
        ckpt_classes = (checkpoint.get('meta', {}).get('dataset_meta') or {}).get('classes')
        if ckpt_classes is not None:
            ckpt_classes = tuple(ckpt_classes)
            if classes is not None and ckpt_classes != classes:
                raise DistillationError(
                    f'Teacher checkpoint {ckpt} was trained on classes {ckpt_classes}, but its '
                    f'config {cfg_path} lists {classes}. Check model.teacher.checkpoint.')
            classes = ckpt_classes
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

    @torch.no_grad()
    def _check_shapes(self, shape: Tuple[int, int]) -> None:
        was_training = self.training
        self.eval()
        dummy = torch.zeros(1, 3, *shape)
        s_feat, s_logits = self._student_outputs(dummy)[:2]
        t_feat, t_logits = self._teacher_outputs(dummy)
        self.train(was_training)
        if s_feat.shape[-2:] != t_feat.shape[-2:] or s_logits.shape != t_logits.shape:
            raise DistillationError(
                f'For a {shape[0]}x{shape[1]} input the student gives a feature map of '
                f'{tuple(s_feat.shape[-2:])} and heatmap {tuple(s_logits.shape[1:])}, the teacher '
                f'{tuple(t_feat.shape[-2:])} and {tuple(t_logits.shape[1:])}: they must have the '
                'same spatial size (same output stride and branch). Check the teacher config and '
                'teacher_feature_index.')

    # ------------------------------------------------------------- forward/loss
    def _student_outputs(self, inputs: Tensor) -> Tuple[Tensor, Tensor, Tensor, Tensor]:
        feats = self.extract_feat(inputs)
        logits, wh, offset = self.bbox_head.forward_logits(feats)
        return feats[self.bbox_head.in_index], logits, wh, offset

    @torch.no_grad()
    def _teacher_outputs(self, inputs: Tensor) -> Tuple[Tensor, Tensor]:
        feats = self.teacher.extract_feat(inputs)
        logits = self.teacher.bbox_head.forward_logits(feats)[0]
        return feats[self.teacher_feature_index], logits

    def loss(self, batch_inputs: Tensor,
             batch_data_samples: SampleList) -> Union[dict, list]:
        """Eq. (11): the student's detection losses plus the two distillation terms."""
        feat_s, logits_s, wh, offset = self._student_outputs(batch_inputs)
        gt_instances, _, img_metas = unpack_gt_instances(batch_data_samples)
        # CenterNetHead.loss_by_feat expects sigmoid heatmaps, as its forward returns
        losses: Dict[str, Tensor] = self.bbox_head.loss_by_feat(
            [logits_s.sigmoid()], [wh], [offset], gt_instances, img_metas)
        if self.loss_pixel is None and self.loss_pair is None:
            return losses
        feat_t, logits_t = self._teacher_outputs(batch_inputs)
        if self.loss_pixel is not None:
            losses['loss_kd_pixel'] = self.loss_pixel(logits_s, logits_t)
        if self.loss_pair is not None:
            losses['loss_kd_pair'] = self.loss_pair(feat_s, feat_t)
        return losses

    # ------------------------------------------------- keep the teacher frozen
    def train(self, mode: bool = True) -> 'StructuredKDDistiller':
        super().train(mode)
        self.teacher.eval()
        return self

    def _apply(self, fn, *args, **kwargs):  # noqa: ANN001 - torch's internal signature
        # .to()/.cuda()/.cpu()/.half() reach the unregistered teacher through here
        self.teacher._apply(fn, *args, **kwargs)
        return super()._apply(fn, *args, **kwargs)


__all__ = ['DistillationError', 'StructuredKDDistiller']
