"""RefineDetLiteHead: ARM/ODM wiring, anchor refinement, negative anchor filtering, losses."""

import pytest
import torch
from mmdet.registry import MODELS
from mmengine.config import ConfigDict
from mmengine.structures import InstanceData

import mmdet_lite  # noqa: F401
from mmdet_lite.models.dense_heads import RefineDetLiteHead

IMG = (96, 128)  # H, W
SIZES = [(12, 16), (6, 8), (3, 4), (2, 2)]
STRIDES = [8, 16, 32, (64, 48)]


def make_head(**kw) -> RefineDetLiteHead:
    cfg = dict(
        type='RefineDetLiteHead', num_classes=3, in_channels=(8, 16, 8, 8), feat_channels=8,
        anchor_generator=dict(type='AnchorGenerator', strides=STRIDES, ratios=[0.5, 1.0, 2.0],
                              base_sizes=[16, 32, 64, 96], scales=[1.0], center_offset=0.5),
        train_cfg=dict(assigner=dict(type='MaxIoUAssigner', pos_iou_thr=0.5, neg_iou_thr=0.5,
                                     min_pos_iou=0.0, ignore_iof_thr=-1, gt_max_assign_all=False),
                       allowed_border=-1, pos_weight=-1, neg_pos_ratio=3, debug=False),
        test_cfg=dict(nms_pre=200, score_thr=0.0, nms=dict(type='nms', iou_threshold=0.45),
                      max_per_img=50))
    cfg.update(kw)
    head = MODELS.build(cfg)

    return head


def feats(batch=2):
    chans = (8, 16, 8, 8)
    return tuple(torch.randn(batch, c, h, w) for c, (h, w) in zip(chans, SIZES, strict=True))


def metas(batch=2):
    return [dict(img_shape=IMG, pad_shape=IMG, scale_factor=(1.0, 1.0)) for _ in range(batch)]


def gts(batch=2):
    out = []
    for b in range(batch):
        g = InstanceData()
        g.bboxes = torch.tensor([[10.0, 12.0, 50.0, 60.0], [60.0 + b, 20.0, 120.0, 90.0]])
        g.labels = torch.tensor([0, 2])
        out.append(g)
    return out


def test_forward_shapes():
    head = make_head()
    arm_cls, arm_reg, odm_cls, odm_reg = head(feats())
    for lvl, (h, w) in enumerate(SIZES):
        assert arm_cls[lvl].shape == (2, 3 * 2, h, w)
        assert arm_reg[lvl].shape == (2, 3 * 4, h, w)
        assert odm_cls[lvl].shape == (2, 3 * 4, h, w)
        assert odm_reg[lvl].shape == (2, 3 * 4, h, w)


@pytest.mark.parametrize('kw', [
    dict(),
    dict(head='conv3x3'),
    dict(reg_decoded_bbox=True, loss_bbox=dict(type='GIoULoss', loss_weight=1.0),
         loss_odm_cls=dict(type='IoUGuidedCrossEntropyLoss', iou_guided=True,
                           class_weights=[1.0, 4.0, 10.0]),
         multitask=dict(type='BalancedMultiTaskLoss')),
])
def test_loss_finite_and_backward(kw):
    head = make_head(**kw)
    x = tuple(f.requires_grad_() for f in feats())
    losses = head.loss_by_feat(*head(x), gts(), metas())
    names = {'loss_arm_loc', 'loss_arm_cls', 'loss_odm_loc', 'loss_odm_cls'}
    assert names <= set(losses)
    total = sum(v for k, v in losses.items() if k.startswith('loss'))
    assert torch.isfinite(total)
    total.backward()
    assert all(f.grad is not None and torch.isfinite(f.grad).all() for f in x)
    if 'multitask' in kw:
        assert head.multitask.log_vars.grad is not None
        assert 'log_var_odm_cls' in losses


def test_empty_image_no_nan():
    head = make_head()
    empty = InstanceData(bboxes=torch.zeros(0, 4), labels=torch.zeros(0, dtype=torch.long))
    losses = head.loss_by_feat(*head(feats(1)), [empty], metas(1))
    for v in losses.values():
        assert torch.isfinite(v)
    # one image without boxes beside one with boxes
    losses = head.loss_by_feat(*head(feats(2)), [empty, gts(1)[0]], metas(2))
    assert all(torch.isfinite(v) for v in losses.values())


def test_boxes_outside_are_clipped_with_warning():
    head = make_head()
    g = gts(1)[0]
    g.bboxes = torch.tensor([[-20.0, -10.0, 40.0, 50.0], [200.0, 10.0, 260.0, 40.0]])
    with pytest.warns(UserWarning, match='outside the image'):
        clipped = head._clip_gt([g], metas(1))[0]
    assert torch.equal(clipped.bboxes, torch.tensor([[0.0, 0.0, 40.0, 50.0]]))
    assert clipped.labels.tolist() == [0]
    losses = head.loss_by_feat(*head(feats(1)), [g], metas(1))
    assert all(torch.isfinite(v) for v in losses.values())


def test_odm_targets_are_encoded_on_the_refined_anchors(monkeypatch):
    head = make_head()
    outs = head(feats(1))
    calls = []
    orig = RefineDetLiteHead.get_targets

    def spy(self, anchor_list, *args, **kwargs):
        calls.append([torch.cat(a) for a in anchor_list])
        return orig(self, anchor_list, *args, **kwargs)

    monkeypatch.setattr(RefineDetLiteHead, 'get_targets', spy)
    head.loss_by_feat(*outs, gts(1), metas(1))
    assert len(calls) == 2
    anchors = torch.cat(head.prior_generator.grid_priors(SIZES, device='cpu'))
    assert torch.equal(calls[0][0], anchors)  # ARM: the plain anchors
    arm_reg = torch.cat([r.permute(0, 2, 3, 1).reshape(1, -1, 4) for r in outs[1]], 1)[0]
    decoded = head.bbox_coder.decode(anchors, arm_reg.detach(), max_shape=IMG)
    decoded[:, 2:] = torch.maximum(decoded[:, 2:], decoded[:, :2] + 1)
    assert torch.allclose(calls[1][0], decoded)  # ODM: the ARM-decoded anchors
    assert not torch.allclose(calls[1][0], anchors)


def _set_objectness(head, keep_level0: bool):
    """Bias the ARM so level 0 anchors have objectness ~1 (kept) or ~0 (filtered)."""
    with torch.no_grad():
        for lvl, conv in enumerate(head.arm_cls):
            conv.weight.zero_()
            obj = 20.0 if (lvl == 0) == keep_level0 else -20.0
            conv.bias.view(-1, 2)[:, 0] = obj
            conv.bias.view(-1, 2)[:, 1] = 0.0


def test_filtered_anchors_leave_odm_training():
    head = make_head()
    _set_objectness(head, keep_level0=False)  # every level-0 anchor filtered (objectness ~ 0)
    x = feats(1)
    arm_cls, arm_reg, odm_cls, odm_reg = head(x)
    base = head.loss_by_feat(arm_cls, arm_reg, odm_cls, odm_reg, gts(1), metas(1))
    # changing the ODM predictions of filtered anchors changes nothing
    odm_cls2 = [c.clone() for c in odm_cls]
    odm_reg2 = [r.clone() for r in odm_reg]
    odm_cls2[0] += 5 * torch.randn_like(odm_cls2[0])
    odm_reg2[0] += torch.randn_like(odm_reg2[0])
    other = head.loss_by_feat(arm_cls, arm_reg, odm_cls2, odm_reg2, gts(1), metas(1))
    for k in ('loss_odm_cls', 'loss_odm_loc'):
        assert torch.allclose(base[k], other[k]), k
    # while a kept level does change them
    odm_cls2[1] += 5 * torch.randn_like(odm_cls2[1])
    changed = head.loss_by_feat(arm_cls, arm_reg, odm_cls2, odm_reg2, gts(1), metas(1))
    assert not torch.allclose(base['loss_odm_cls'], changed['loss_odm_cls'])


def test_all_filtered_gives_zero_odm_loss():
    head = make_head()
    with torch.no_grad():
        for conv in head.arm_cls:
            conv.weight.zero_()
            conv.bias.view(-1, 2)[:, 0] = -20.0
    losses = head.loss_by_feat(*head(feats(1)), gts(1), metas(1))
    assert float(losses['loss_odm_cls'].detach()) == 0.0
    assert float(losses['loss_odm_loc'].detach()) == 0.0
    assert float(losses['loss_arm_cls'].detach()) > 0


def test_hard_negative_mining_ratio():
    head = make_head()
    outs = head(feats(1))
    losses = head.loss_by_feat(*outs, gts(1), metas(1))
    # the ARM classification loss equals CE over positives + the 3x#pos hardest negatives
    import torch.nn.functional as F
    anchors = [torch.cat(head.prior_generator.grid_priors(SIZES, device='cpu'))]
    labels = head.get_targets([[a for a in head.prior_generator.grid_priors(SIZES, device='cpu')]],
                              [[torch.ones(len(a), dtype=torch.bool)
                                for a in head.prior_generator.grid_priors(SIZES, device='cpu')]],
                              gts(1), metas(1))[0]
    labels = torch.cat(labels, 1)[0]
    arm_cls = torch.cat([c.permute(0, 2, 3, 1).reshape(1, -1, 2) for c in outs[0]], 1)[0]
    ce = F.cross_entropy(arm_cls, (labels == 3).long(), reduction='none')
    pos = labels < 3
    n_pos = int(pos.sum())
    hardest = ce[~pos].topk(3 * n_pos).values.sum()
    assert len(anchors[0]) == len(labels)
    assert torch.allclose(losses['loss_arm_cls'], (ce[pos].sum() + hardest) / n_pos, rtol=1e-5)


def test_predict_zeroes_filtered_anchors():
    torch.manual_seed(0)
    head = make_head()
    head.eval()
    _set_objectness(head, keep_level0=True)  # only level-0 anchors kept
    with torch.no_grad():  # zero offsets: every box is its (clipped) anchor
        for conv in list(head.arm_reg) + list(head.odm_reg):
            conv.weight.zero_()
            conv.bias.zero_()
        outs = head(feats(1))
        res = head.predict_by_feat(*outs, batch_img_metas=metas(1),
                                   cfg=ConfigDict(head.test_cfg), rescale=False)[0]
    assert len(res) > 0 and res.scores.min() >= 0
    level0 = head.prior_generator.grid_priors(SIZES, device='cpu')[0]
    level0 = torch.stack([level0[:, 0].clamp(0, IMG[1]), level0[:, 1].clamp(0, IMG[0]),
                          level0[:, 2].clamp(0, IMG[1]), level0[:, 3].clamp(0, IMG[0])], 1)
    dist = torch.cdist(res.bboxes, level0).min(1).values
    assert dist.max() < 0.5  # every detection is a kept (level-0) anchor, to decoding rounding


def test_bad_config():
    with pytest.raises(ValueError, match='head'):
        make_head(head='deep')
    with pytest.raises(ValueError, match='allowed_border'):
        make_head(train_cfg=dict(assigner=dict(type='MaxIoUAssigner', pos_iou_thr=0.5,
                                               neg_iou_thr=0.5), allowed_border=0))
