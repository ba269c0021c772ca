"""RefineDet's ODM-on-ARM decoding (the one implementation): refined anchors, negative anchor
filtering, and the head's predict_by_feat going through it."""

from functools import partial

import torch
from mmdet.models.task_modules.coders import DeltaXYWHBBoxCoder
from mmengine.config import ConfigDict

from mmdet_lite.models.utils import decode_odm_on_arm, refine_anchors

IMG = (40, 60)  # H, W
CODER = DeltaXYWHBBoxCoder(target_means=[0.0] * 4, target_stds=[0.1, 0.1, 0.2, 0.2])
DECODE = partial(CODER.decode, max_shape=IMG)


def test_refined_anchor_stays_a_box_against_the_border():
    # pushed right past the image: clipped to x = 60 on both sides, then widened to 1 px
    anchors = torch.tensor([[50.0, 10.0, 58.0, 20.0], [10.0, 10.0, 20.0, 20.0]])
    deltas = torch.tensor([[40.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]])  # 4 widths right
    refined = refine_anchors(anchors, deltas, DECODE)
    assert torch.equal(refined[0], torch.tensor([60.0, 10.0, 61.0, 20.0]))
    assert torch.equal(refined[1], anchors[1])  # zero offsets: the anchor itself


def test_odm_boxes_on_refined_anchors_and_filtered_scores():
    g = torch.Generator().manual_seed(0)
    n, k = 6, 3
    anchors = torch.tensor([[5.0, 5.0, 25.0, 25.0]]).repeat(n, 1) + torch.arange(n)[:, None]
    arm_deltas, odm_deltas = torch.randn(n, 4, generator=g), torch.randn(n, 4, generator=g)
    odm_cls = torch.randn(n, k + 1, generator=g)
    # ARM objectness p0 = sigmoid(a0 - a1): 0.5 for the first half, ~0.0025 for the second
    arm_cls = torch.zeros(n, 2)
    arm_cls[n // 2:, 1] = 6.0
    boxes, scores = decode_odm_on_arm(anchors, arm_cls, arm_deltas, odm_cls, odm_deltas,
                                      DECODE, k, objectness_thr=0.01)
    refined = CODER.decode(anchors, arm_deltas, max_shape=IMG)
    refined[:, 2:] = torch.max(refined[:, 2:], refined[:, :2] + 1)
    assert torch.allclose(boxes, CODER.decode(refined, odm_deltas, max_shape=IMG))
    want = odm_cls.softmax(-1)[:, :k]
    assert torch.allclose(scores[:n // 2], want[:n // 2])
    assert (scores[n // 2:] == 0).all()  # negative anchor filtering


def test_predict_by_feat_decodes_through_it(monkeypatch):
    from mmdet_lite.models.dense_heads import refinedet_lite_head
    from projects_tests.models.dense_heads.test_refinedet_lite_head import feats, make_head, metas
    head = make_head().eval()
    calls = []

    def spy(*args, **kwargs):
        calls.append(args[0].shape)
        return decode_odm_on_arm(*args, **kwargs)
    monkeypatch.setattr(refinedet_lite_head, 'decode_odm_on_arm', spy)
    with torch.no_grad():
        head.predict_by_feat(*head(feats(2)), batch_img_metas=metas(2),
                            cfg=ConfigDict(head.test_cfg))
    assert len(calls) == 2  # once per image
