"""GFLv2Head: DGQP statistics and quality, J = sigmoid(cls) * q, QFL/DFL wiring on hand cases."""

import math

import torch
from mmdet.models.losses import QualityFocalLoss
from mmdet.registry import MODELS
from mmengine.structures import InstanceData

import mmdet_lite  # noqa: F401
from mmdet_lite.models.dense_heads import joint_logit


def build_head(**kw):
    cfg = dict(type='GFLv2Head', num_classes=3, in_channels=16, feat_channels=16,
               stacked_convs=1, norm_cfg=dict(type='BN'), reg_max=7,
               anchor_generator=dict(type='AnchorGenerator', ratios=[1.0], octave_base_scale=5,
                                     scales_per_octave=1, strides=[8, 16]),
               loss_cls=dict(type='QualityFocalLoss', use_sigmoid=True, beta=2.0,
                             loss_weight=1.0),
               loss_dfl=dict(type='DistributionFocalLoss', loss_weight=0.25),
               loss_bbox=dict(type='GIoULoss', loss_weight=2.0),
               train_cfg=dict(assigner=dict(type='ATSSAssigner', topk=9), allowed_border=-1,
                              pos_weight=-1, debug=False),
               test_cfg=dict(nms_pre=100, min_bbox_size=0, score_thr=0.05,
                             nms=dict(type='nms', iou_threshold=0.6), max_per_img=10))
    cfg.update(kw)
    head = MODELS.build(cfg)
    head.init_weights()
    return head


def test_statistics_of_a_uniform_distribution():
    head = build_head()
    stats = head.distribution_statistics(torch.zeros(2, 4 * 8, 3, 5))
    assert stats.shape == (2, 4 * 5, 3, 5)
    assert torch.allclose(stats, torch.full_like(stats, 1 / 8))  # top-4 and their mean
    head = build_head(add_mean=False, reg_topk=2)
    assert head.distribution_statistics(torch.zeros(1, 32, 2, 2)).shape == (1, 8, 2, 2)


def test_sharp_distribution_gives_top1_one():
    head = build_head()
    pred = torch.full((1, 4, 8, 1, 1), -50.0)
    pred[:, :, 3] = 50.0
    stats = head.distribution_statistics(pred.reshape(1, 32, 1, 1)).reshape(4, 5)
    assert torch.allclose(stats[:, 0], torch.ones(4)) and torch.allclose(stats[:, 4],
                                                                         torch.full((4, ), .25))


def test_score_is_class_probability_times_quality_in_0_1():
    torch.manual_seed(0)
    head = build_head().eval()
    x = torch.randn(2, 16, 6, 6)
    cls_logit, q_logit, reg = head.forward_single_parts(x, head.scales[0])
    joint, reg2 = head.forward_single(x, head.scales[0])
    q = q_logit.sigmoid()
    assert q.shape == (2, 1, 6, 6) and bool(((q > 0) & (q < 1)).all())
    assert torch.allclose(joint.sigmoid(), cls_logit.sigmoid() * q, atol=1e-6)
    assert torch.equal(reg, reg2)
    # the DGQP is trained through J: its weights get gradients from the score
    joint.sum().backward()
    assert head.reg_conf[0].weight.grad.abs().sum() > 0


def test_joint_logit_is_finite_at_extremes():
    z = torch.tensor([-80.0, -20.0, 0.0, 20.0, 80.0])
    for u in (torch.full_like(z, -80.0), torch.zeros_like(z), torch.full_like(z, 80.0)):
        out = joint_logit(z, u)
        assert torch.isfinite(out).all()
        want = torch.sigmoid(z.double()) * torch.sigmoid(u.double())
        assert torch.allclose(out.double().sigmoid(), want, rtol=1e-4, atol=1e-6)


def test_qfl_on_joint_logit_equals_gflv2_qfl_on_probability_hand_case():
    # one location, classes (0, 1): target class 0 with IoU 0.8, J = (0.5, 0.2), beta = 2:
    # class 0: |0.8 - 0.5|^2 * BCE(0.5; 0.8) = 0.09 * ln 2; class 1: 0.2^2 * -ln(0.8)
    want = 0.09 * math.log(2) + 0.04 * -math.log(0.8)
    j = torch.tensor([[0.5, 0.2]])
    target = (torch.tensor([0]), torch.tensor([0.8]))
    logit = torch.log(j) - torch.log1p(-j)
    ours = QualityFocalLoss(use_sigmoid=True, beta=2.0)(logit, target)
    gflv2 = QualityFocalLoss(use_sigmoid=True, beta=2.0, activated=True)(j, target)
    assert abs(ours.item() - want) < 1e-6 and abs(gflv2.item() - want) < 1e-6


def test_dfl_of_uniform_distributions_is_log_bins_hand_case():
    # all edge distributions uniform: DFL of each edge = -(w_l + w_r) log(1/8) = ln 8 whatever the
    # target, and its score-weighted average over positives stays ln 8; times loss_weight 0.25
    head = build_head()
    head.train()
    cls = [torch.zeros(1, 3, 8, 8), torch.zeros(1, 3, 4, 4)]
    reg = [torch.zeros(1, 32, 8, 8), torch.zeros(1, 32, 4, 4)]
    gt = InstanceData(bboxes=torch.tensor([[10.0, 12.0, 40.0, 50.0]]), labels=torch.tensor([1]))
    meta = dict(img_shape=(64, 64), pad_shape=(64, 64), batch_input_shape=(64, 64))
    losses = head.loss_by_feat(cls, reg, [gt], [meta])
    assert abs(sum(losses['loss_dfl']).item() - 0.25 * math.log(8)) < 1e-5
    # QFL with every J = 0.5: BCE(0.5; y) = ln 2 for any target y, so each (location, class)
    # entry is 0.25 ln 2 for a negative and (IoU - 0.5)^2 ln 2 for a positive's own class, where
    # IoU is between the decoded box (uniform edges: centre +- 3.5 strides) and its gt; the sum is
    # divided by the number of positives. The assignment (ATSS) is mmdet's and taken as given.
    anchors, flags = head.get_anchors([(8, 8), (4, 4)], [meta], device='cpu')
    _, labels, _, targets, _, num_pos = head.get_targets(anchors, flags, [gt], [meta])
    anchors = head.get_anchors([(8, 8), (4, 4)], [meta], device='cpu')[0][0]
    entries, pos_sum = 0, 0.0
    for lvl, stride in enumerate((8, 16)):
        pos = (labels[lvl][0] < 3).nonzero().flatten()
        entries += labels[lvl].numel() * 3 - len(pos)
        for k in pos.tolist():
            cx, cy = anchors[lvl][k, 0::2].mean().item(), anchors[lvl][k, 1::2].mean().item()
            box = (cx - 3.5 * stride, cy - 3.5 * stride, cx + 3.5 * stride, cy + 3.5 * stride)
            g = targets[lvl][0, k].tolist()
            iw = max(0.0, min(box[2], g[2]) - max(box[0], g[0]))
            ih = max(0.0, min(box[3], g[3]) - max(box[1], g[1]))
            inter = iw * ih
            union = (box[2] - box[0]) * (box[3] - box[1]) + (g[2] - g[0]) * (g[3] - g[1]) - inter
            pos_sum += (inter / union - 0.5)**2
    assert num_pos >= 1
    want = (entries * 0.25 + pos_sum) * math.log(2) / num_pos
    assert abs(sum(losses['loss_cls']).item() - want) < 1e-4 * want
