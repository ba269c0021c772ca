"""CenterNetHRNetHead: branch selection, targets at the border, decoding without `border`."""

import torch
from mmdet.registry import MODELS
from mmengine.config import ConfigDict
from mmengine.structures import InstanceData

import mmdet_lite  # noqa: F401


def build_head(**kwargs):
    cfg = dict(type='CenterNetHRNetHead', num_classes=4, in_channels=16, feat_channels=32,
               test_cfg=ConfigDict(topk=10, local_maximum_kernel=3, max_per_img=10))
    cfg.update(kwargs)
    return MODELS.build(cfg)


def test_uses_highest_resolution_branch_only():
    head = build_head()
    feats = (torch.rand(2, 16, 20, 36), torch.rand(2, 32, 10, 18))
    heat, wh, off = head(feats)
    assert len(heat) == 1 and heat[0].shape == (2, 4, 20, 36)
    assert wh[0].shape == off[0].shape == (2, 2, 20, 36)
    assert ((heat[0] > 0) & (heat[0] < 1)).all()
    logits, _, _ = head.forward_logits(feats)
    assert torch.allclose(logits.sigmoid(), heat[0])


def test_targets_hand_case_and_border_clamp():
    head = build_head()
    # image 64x32 -> feature 16x8 (stride 4); box 1 centre (10, 6) -> cell (2, 1), offset .5/.5
    boxes = torch.tensor([[6.0, 2.0, 14.0, 10.0], [56.0, 24.0, 64.0, 32.0]])
    labels = torch.tensor([1, 3])
    targets, n = head.get_targets([boxes], [labels], (1, 4, 8, 16), (32, 64))
    hm = targets['center_heatmap_target']
    assert n == 2
    assert hm[0, 1, 1, 2] == 1 and hm[0, 3, 7, 15] == 1  # (15, 7) is the last cell
    assert torch.allclose(targets['wh_target'][0, :, 1, 2], torch.tensor([2.0, 2.0]))
    assert torch.allclose(targets['offset_target'][0, :, 1, 2], torch.tensor([0.5, 0.5]))
    # a box touching the right/bottom border: centre (15, 7.5)*... stays inside the grid
    assert targets['wh_offset_target_weight'][0, :, 7, 15].eq(1).all()


def test_targets_empty_image():
    head = build_head()
    targets, n = head.get_targets([torch.zeros(0, 4)], [torch.zeros(0, dtype=torch.long)],
                                  (1, 4, 8, 16), (32, 64))
    assert n == 1 and targets['center_heatmap_target'].sum() == 0


def test_predict_without_border_meta_rescales_and_clips():
    head = build_head()
    heat = torch.zeros(1, 4, 8, 16)
    heat[0, 2, 3, 5] = 0.9
    wh = torch.zeros(1, 2, 8, 16)
    wh[0, :, 3, 5] = torch.tensor([8.0, 4.0])  # in feature cells... decoded by mmdet as pixels
    off = torch.zeros(1, 2, 8, 16)
    meta = dict(batch_input_shape=(32, 64), img_shape=(32, 64), ori_shape=(64, 128),
                scale_factor=(0.5, 0.5))
    res = head.predict_by_feat([heat], [wh], [off], [meta], rescale=True)[0]
    assert isinstance(res, InstanceData)
    top = res.scores.argmax()
    assert res.labels[top] == 2 and res.scores[top] == 0.9
    assert (res.bboxes[:, 0::2] <= 128).all() and (res.bboxes >= 0).all()
    cx = (res.bboxes[top, 0] + res.bboxes[top, 2]) / 2
    assert torch.isclose(cx, torch.tensor(5 * 4 * 2.0))  # cell 5, stride 4, rescale x2
