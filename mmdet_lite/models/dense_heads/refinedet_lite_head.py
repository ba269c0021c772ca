"""RefineDetLite's detection head: ARM + Light-head feature fusion + ODM (Sec. 3.1, 3.3, 4)."""

import warnings
from functools import partial
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmdet.models.dense_heads import AnchorHead
from mmdet.models.utils import filter_scores_and_topk
from mmdet.registry import MODELS
from mmdet.structures.bbox import bbox_overlaps
from mmdet.utils import ConfigType, InstanceList, OptConfigType, OptInstanceList, OptMultiConfig
from mmengine.structures import InstanceData
from torch import Tensor

from ..layers.light_head import LightHead
from ..utils.hard_negative_mining import hard_negative_mask
from ..utils.refinedet_decode import BoxDecoder, decode_odm_on_arm, refine_anchors

TASKS = ('arm_loc', 'arm_cls', 'odm_loc', 'odm_cls')


@MODELS.register_module()
class RefineDetLiteHead(AnchorHead):
    """Anchor refinement (ARM) and object detection (ODM) modules of RefineDetLite (Fig. 1, 3).

    - **ARM**, on each backbone level: a Light-head (Fig. 3a) then 1x1 convs predicting a binary
      objectness (2-way softmax, index 0 = object) and a coarse box offset per anchor.
    - **Feature fusion** (Fig. 3b), top-down: ``P_l = LightHead(A_l + up(P_{l+1}))``, ``A_l`` the
      ARM Light-head output of level l (shared with the ARM predictions, as RefineDet's transfer
      connection blocks take the ARM features) and ``up`` nearest resizing.
    - **ODM**, on each ``P_l``: 1x1 convs predicting K+1-way scores and box offsets relative to the
      ARM-refined anchors.
    - ``head='conv3x3'``: every Light-head replaced by a 3x3 conv and the predictors by 3x3 convs,
      the plain baseline of Table 3 row (a).

    Training (Eq. 1): the ARM is trained on the anchors, the ODM on the anchors decoded with the ARM
    offsets (no gradient through the refinement, as RefineDet), both assigned by
    ``train_cfg.assigner``. Negative anchor filtering: anchors whose ARM objectness is ``<=
    objectness_thr`` are left out of ODM training and get zero score at inference. Hard negative
    mining keeps ``neg_pos_ratio`` negatives per positive in both modules; losses are normalised by
    the number of positives. The ODM classification loss is :class:`IoUGuidedCrossEntropyLoss` (Eq.
    2-5 by its options); ``loss_bbox`` is smooth L1 on encoded offsets or, with
    ``reg_decoded_bbox=True``, GIoU on decoded boxes, for both modules; ``multitask`` set to
    :class:`BalancedMultiTaskLoss` replaces the fixed weights of Eq. (1) by Eq. (6).

    Args:
        num_classes: foreground classes K.
        in_channels: channels of the backbone levels.
        feat_channels: channels of the ARM features and of the fused ODM features.
        head: ``'light'`` (Fig. 3) or ``'conv3x3'``.
        groups: groups of the Light-heads' 3x3 convolutions.
        objectness_thr: negative anchor filtering threshold on the ARM objectness.
        loss_odm_cls: the ODM classification loss (per-anchor).
        multitask: ``None`` (Eq. 1 with all lambdas 1) or a :class:`BalancedMultiTaskLoss` config.
        Other arguments as :class:`mmdet.models.dense_heads.AnchorHead`; ``train_cfg`` needs
        ``assigner``, ``neg_pos_ratio`` and ``allowed_border=-1`` (refined anchors may leave the
        image).
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: Sequence[int] = (576, 1152, 512, 512),
                 feat_channels: int = 256,
                 head: str = 'light',
                 groups: int = 2,
                 objectness_thr: float = 0.01,
                 norm_cfg: ConfigType = dict(type='BN'),
                 act_cfg: ConfigType = dict(type='ReLU'),
                 anchor_generator: ConfigType = dict(
                     type='AnchorGenerator', strides=[16, 32, 64, 107], ratios=[0.5, 1.0, 2.0],
                     base_sizes=[32, 64, 128, 256], scales=[1.0], center_offset=0.5),
                 bbox_coder: ConfigType = dict(
                     type='DeltaXYWHBBoxCoder', target_means=[0., 0., 0., 0.],
                     target_stds=[0.1, 0.1, 0.2, 0.2]),
                 reg_decoded_bbox: bool = False,
                 loss_bbox: ConfigType = dict(type='SmoothL1Loss', beta=1.0, loss_weight=1.0),
                 loss_odm_cls: ConfigType = dict(type='IoUGuidedCrossEntropyLoss'),
                 multitask: OptConfigType = None,
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 init_cfg: OptMultiConfig = dict(type='Xavier', layer='Conv2d',
                                                 distribution='uniform', bias=0)) -> None:
        if head not in ('light', 'conv3x3'):
            raise ValueError(f"RefineDetLiteHead: head must be 'light' or 'conv3x3', got {head!r}")
        if len(in_channels) != len(anchor_generator['strides']):
            raise ValueError(f'RefineDetLiteHead: {len(in_channels)} in_channels for '
                             f"{len(anchor_generator['strides'])} anchor strides")
        self.head_type = head
        self.groups = groups
        self.norm_cfg = norm_cfg
        self.act_cfg = act_cfg
        self.objectness_thr = objectness_thr
        super().__init__(num_classes, in_channels, feat_channels=feat_channels,
                         anchor_generator=anchor_generator, bbox_coder=bbox_coder,
                         reg_decoded_bbox=reg_decoded_bbox,
                         loss_cls=dict(type='CrossEntropyLoss', use_sigmoid=False),
                         loss_bbox=loss_bbox, train_cfg=train_cfg, test_cfg=test_cfg,
                         init_cfg=init_cfg)
        self.loss_odm_cls = MODELS.build(loss_odm_cls)
        self.multitask = MODELS.build(multitask) if multitask else None
        if self.train_cfg and self.train_cfg.get('allowed_border', 0) >= 0:
            raise ValueError('RefineDetLiteHead: set train_cfg.allowed_border=-1 (refined anchors '
                             'may lie partly outside the image)')

    # ---------------------------------------------------------------- layers
    def _block(self, in_ch: int, out_ch: int) -> nn.Module:
        if self.head_type == 'light':
            return LightHead(in_ch, out_ch, groups=self.groups, norm_cfg=self.norm_cfg,
                             act_cfg=self.act_cfg)
        return ConvModule(in_ch, out_ch, 3, padding=1, norm_cfg=self.norm_cfg,
                          act_cfg=self.act_cfg)

    def _predictor(self, out_ch: int) -> nn.Module:
        k = 1 if self.head_type == 'light' else 3
        return nn.Conv2d(self.feat_channels, out_ch, k, padding=k // 2)

    def _init_layers(self) -> None:
        a = self.num_base_priors
        reg = self.bbox_coder.encode_size
        self.arm_convs = nn.ModuleList(self._block(c, self.feat_channels)
                                       for c in self.in_channels)
        self.arm_cls = nn.ModuleList(self._predictor(a * 2) for _ in self.in_channels)
        self.arm_reg = nn.ModuleList(self._predictor(a * reg) for _ in self.in_channels)
        self.fuse_convs = nn.ModuleList(self._block(self.feat_channels, self.feat_channels)
                                        for _ in self.in_channels)
        self.odm_cls = nn.ModuleList(self._predictor(a * self.cls_out_channels)
                                     for _ in self.in_channels)
        self.odm_reg = nn.ModuleList(self._predictor(a * reg) for _ in self.in_channels)

    def forward(self, x: Tuple[Tensor, ...]) -> Tuple[List[Tensor], ...]:
        """Returns ``(arm_cls, arm_reg, odm_cls, odm_reg)``, each a list over levels."""
        if len(x) != len(self.in_channels):
            raise ValueError(f'RefineDetLiteHead expects {len(self.in_channels)} feature levels, '
                             f'got {len(x)}')
        arm_feats = [conv(f) for conv, f in zip(self.arm_convs, x, strict=True)]
        arm_cls = [m(f) for m, f in zip(self.arm_cls, arm_feats, strict=True)]
        arm_reg = [m(f) for m, f in zip(self.arm_reg, arm_feats, strict=True)]
        fused: List[Tensor] = [None] * len(x)
        top = None
        for lvl in range(len(x) - 1, -1, -1):
            feat = arm_feats[lvl]
            if top is not None:
                # Python ints: a static-shape ONNX export gets constant Resize sizes (TensorRT)
                size = (int(feat.shape[-2]), int(feat.shape[-1]))
                feat = feat + F.interpolate(top, size=size, mode='nearest')
            top = fused[lvl] = self.fuse_convs[lvl](feat)
        odm_cls = [m(f) for m, f in zip(self.odm_cls, fused, strict=True)]
        odm_reg = [m(f) for m, f in zip(self.odm_reg, fused, strict=True)]
        return arm_cls, arm_reg, odm_cls, odm_reg

    # ---------------------------------------------------------------- helpers
    @staticmethod
    def _flatten(preds: List[Tensor], channels: int) -> Tensor:
        b = preds[0].shape[0]
        return torch.cat([p.permute(0, 2, 3, 1).reshape(b, -1, channels) for p in preds], 1)

    def _decoder(self, img_shape: tuple) -> BoxDecoder:
        """The box coder's ``decode``, clipping to ``img_shape``."""
        return partial(self.bbox_coder.decode, max_shape=img_shape)

    def _refine(self, anchors: Tensor, arm_reg: Tensor, img_shapes: List[tuple]) -> Tensor:
        """ARM-refined anchors ``[B, A, 4]`` of the training images (:func:`refine_anchors`)."""
        return torch.stack([
            refine_anchors(anchors[min(b, len(anchors) - 1)], arm_reg[b].detach(),
                           self._decoder(shape)) for b, shape in enumerate(img_shapes)])

    @staticmethod
    def _clip_gt(batch_gt_instances: InstanceList,
                 batch_img_metas: List[dict]) -> InstanceList:
        """Clip boxes to the image; drop (with a warning) boxes left under 1 px."""
        out = []
        for gt, meta in zip(batch_gt_instances, batch_img_metas, strict=True):
            h, w = meta['img_shape'][:2]
            boxes = gt.bboxes
            clipped = torch.stack([boxes[:, 0].clamp(0, w), boxes[:, 1].clamp(0, h),
                                   boxes[:, 2].clamp(0, w), boxes[:, 3].clamp(0, h)], -1)
            valid = ((clipped[:, 2] - clipped[:, 0]) >= 1) & ((clipped[:, 3] - clipped[:, 1]) >= 1)
            if not bool(valid.all()):
                warnings.warn(f'RefineDetLiteHead: {int((~valid).sum())} ground-truth box(es) of '
                              f"{meta.get('img_path', 'an image')} lie outside the image or are "
                              'under 1 px after clipping; they are ignored', stacklevel=2)
            new = gt.clone()
            new.bboxes = clipped
            out.append(new[valid])
        return out

    def _loc_loss(self, reg: Tensor, anchors: Tensor, targets: Tensor, pos: Tensor,
                  num_pos: Tensor) -> Tensor:
        if not bool(pos.any()):
            return reg.sum() * 0
        pred = reg[pos]
        if self.reg_decoded_bbox:
            pred = self.bbox_coder.decode(anchors[pos], pred)
        return self.loss_bbox(pred, targets[pos], avg_factor=num_pos)

    @staticmethod
    def _regressed_ious(pred_boxes: Tensor, sampling_results: list,
                        gts: InstanceList) -> Tensor:
        """IoU of each regressed box with its assigned ground truth (positives) or with the
        best-overlapping one (negatives), ``[B, A]``: the IoU-hat of Eq. (3)-(4)."""
        ious = pred_boxes.new_zeros(pred_boxes.shape[:2])
        for b, (res, gt) in enumerate(zip(sampling_results, gts, strict=True)):
            if len(gt) == 0:
                continue
            ious[b] = bbox_overlaps(pred_boxes[b], gt.bboxes).max(1).values
            if len(res.pos_inds):
                ious[b, res.pos_inds] = bbox_overlaps(
                    pred_boxes[b, res.pos_inds], res.pos_gt_bboxes, is_aligned=True)
        return ious

    def _targets(self, anchors: Tensor, num_level: List[int], valid_flag_list: list,
                 gts: InstanceList, metas: List[dict], ignore: OptInstanceList) -> tuple:
        anchor_list = [list(a.split(num_level)) for a in anchors]
        (labels, label_weights, bbox_targets, _, _, sampling_results) = self.get_targets(
            anchor_list, valid_flag_list, gts, metas, batch_gt_instances_ignore=ignore,
            unmap_outputs=True, return_sampling_results=True)
        return (torch.cat(labels, 1), torch.cat(label_weights, 1), torch.cat(bbox_targets, 1),
                sampling_results)

    # ---------------------------------------------------------------- loss
    def loss_by_feat(self,
                     arm_cls_scores: List[Tensor],
                     arm_bbox_preds: List[Tensor],
                     odm_cls_scores: List[Tensor],
                     odm_bbox_preds: List[Tensor],
                     batch_gt_instances: InstanceList,
                     batch_img_metas: List[dict],
                     batch_gt_instances_ignore: OptInstanceList = None) -> Dict[str, Tensor]:
        """Eq. (1) (or Eq. (6) with ``multitask``): ARM and ODM localisation and classification."""
        gts = self._clip_gt(batch_gt_instances, batch_img_metas)
        featmap_sizes = [s.shape[-2:] for s in arm_cls_scores]
        device = arm_cls_scores[0].device
        anchor_list, valid_flag_list = self.get_anchors(featmap_sizes, batch_img_metas, device)
        num_level = [len(a) for a in anchor_list[0]]
        anchors = torch.stack([torch.cat(a) for a in anchor_list])
        img_shapes = [m['img_shape'][:2] for m in batch_img_metas]
        reg_dim = self.bbox_coder.encode_size
        arm_cls = self._flatten(arm_cls_scores, 2).float()
        arm_reg = self._flatten(arm_bbox_preds, reg_dim).float()
        odm_cls = self._flatten(odm_cls_scores, self.cls_out_channels).float()
        odm_reg = self._flatten(odm_bbox_preds, reg_dim).float()
        ratio = self.train_cfg['neg_pos_ratio']
        k = self.num_classes

        # ARM: binary objectness (0 = object, 1 = background) on the anchors
        labels, label_weights, targets, _ = self._targets(
            anchors, num_level, valid_flag_list, gts, batch_img_metas, batch_gt_instances_ignore)
        pos = labels < k
        neg = (labels == k) & (label_weights > 0)
        arm_labels = (labels == k).long()
        arm_ce = F.cross_entropy(arm_cls.flatten(0, 1), arm_labels.flatten(),
                                 reduction='none').view_as(labels)
        num_pos = pos.sum().clamp(min=1).float()
        arm_sel = pos | hard_negative_mask(arm_ce, pos, neg, ratio)
        loss_arm_cls = (arm_ce * arm_sel).sum() / num_pos
        loss_arm_loc = self._loc_loss(arm_reg, anchors, targets, pos, num_pos)

        # ODM: K+1 classes on the refined anchors, filtered by the ARM objectness
        refined = self._refine(anchors, arm_reg, img_shapes)
        keep = arm_cls.detach().softmax(-1)[..., 0] > self.objectness_thr
        labels, label_weights, targets, sampling_results = self._targets(
            refined, num_level, valid_flag_list, gts, batch_img_metas, batch_gt_instances_ignore)
        pos = (labels < k) & keep
        neg = (labels == k) & (label_weights > 0) & keep
        ious = None
        if getattr(self.loss_odm_cls, 'iou_guided', False):
            with torch.no_grad():
                pred_boxes = torch.stack([
                    self.bbox_coder.decode(refined[b], odm_reg[b].detach(), max_shape=shape)
                    for b, shape in enumerate(img_shapes)])
                ious = self._regressed_ious(pred_boxes, sampling_results, gts).flatten()
        odm_loss = self.loss_odm_cls(odm_cls.flatten(0, 1), labels.flatten(),
                                     ious).view_as(labels)
        num_pos = pos.sum().clamp(min=1).float()
        odm_sel = pos | hard_negative_mask(odm_loss, pos, neg, ratio)
        loss_odm_cls = (odm_loss * odm_sel).sum() / num_pos
        loss_odm_loc = self._loc_loss(odm_reg, refined, targets, pos, num_pos)

        terms = [loss_arm_loc, loss_arm_cls, loss_odm_loc, loss_odm_cls]
        losses = {}
        if self.multitask is not None:
            terms = self.multitask(terms)
            for name, s in zip(TASKS, self.multitask.log_vars.detach(), strict=True):
                losses[f'log_var_{name}'] = s
        for name, term in zip(TASKS, terms, strict=True):
            losses[f'loss_{name}'] = term
        return losses

    # ---------------------------------------------------------------- inference
    def predict_by_feat(self,
                        arm_cls_scores: List[Tensor],
                        arm_bbox_preds: List[Tensor],
                        odm_cls_scores: List[Tensor],
                        odm_bbox_preds: List[Tensor],
                        batch_img_metas: Optional[List[dict]] = None,
                        cfg: OptConfigType = None,
                        rescale: bool = False,
                        with_nms: bool = True) -> InstanceList:
        """ODM boxes decoded on the ARM-refined anchors, filtered anchors zeroed, (soft-)NMS."""
        cfg = self.test_cfg if cfg is None else cfg
        featmap_sizes = [s.shape[-2:] for s in arm_cls_scores]
        device = arm_cls_scores[0].device
        anchors = torch.cat(self.prior_generator.grid_priors(featmap_sizes, device=device))
        reg_dim = self.bbox_coder.encode_size
        arm_cls = self._flatten(arm_cls_scores, 2)
        arm_reg = self._flatten(arm_bbox_preds, reg_dim)
        odm_cls = self._flatten(odm_cls_scores, self.cls_out_channels)
        odm_reg = self._flatten(odm_bbox_preds, reg_dim)
        results_list = []
        for b, meta in enumerate(batch_img_metas):
            shape = meta['img_shape'][:2]
            boxes, scores = decode_odm_on_arm(anchors, arm_cls[b], arm_reg[b], odm_cls[b],
                                              odm_reg[b], self._decoder(shape), self.num_classes,
                                              self.objectness_thr)
            scores, labels, _, filtered = filter_scores_and_topk(
                scores, cfg.get('score_thr', 0), cfg.get('nms_pre', 1000), dict(bboxes=boxes))
            results = InstanceData(bboxes=filtered['bboxes'], scores=scores, labels=labels)
            results_list.append(self._bbox_post_process(results, cfg, rescale=rescale,
                                                        with_nms=with_nms, img_meta=meta))
        return results_list
