"""End-to-end ONNX export of the anchor-based families (RefineDetLite, SSD students): onnxruntime
parity with PyTorch's predict, the TensorRT 8.2 check, fixed-size outputs."""

import os.path as osp

import numpy as np
import onnx
import pytest
import torch

import mmdet_lite  # noqa: F401
from mmdet_lite.export import AnchorEnd2End, end2end_module, export_onnx, load_detector
from mmdet_lite.export.quantize import NETWORK_SCOPES
from mmdet_lite.export.trt_checker import check_trt
from projects_tests.conftest import REPO_ROOT, torch_predict

ort = pytest.importorskip('onnxruntime')

SHAPE = (160, 288)
# config, scale of the classifier weights giving scores spread over (0, 1) (SSD's first level
# is L2-normalised to norm 20, hence its smaller scale)
CONFIGS = {
    'refinedet_lite': ('configs/refinedet_lite/refinedet-lite_res2netlite72_synthetic.py', 0.3),
    'refinedet_lite_pp': ('configs/refinedet_lite/refinedet-lite-pp_res2netlite72_synthetic.py',
                          0.3),
    'ssd_1_8': ('configs/attention_kd/ssd300_vgg16-1-8_synthetic.py', 0.03),
    'effnet_gflv1': ('configs/effnet_gfl/effnet-gfl_row3_lite1-416-silu-gflv1-amp_synthetic.py',
                     0.5),
    'effnet_gflv2': (
        'configs/effnet_gfl/effnet-gfl_row4_lite1-416-silu-gflv2-amp-sparse24_synthetic.py', 0.5),
}


def make_checkpoint(config: str, path: str, scale: float = 0.3) -> str:
    """Random weights with real BN statistics and spread-out class scores."""
    torch.manual_seed(0)
    det, _ = load_detector(config, None)
    det.init_weights()
    for m in det.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.momentum = None
    det.train()
    with torch.no_grad():
        det._forward((torch.rand(4, 3, *SHAPE) * 255 - 120) / 58)
    for name, p in det.bbox_head.named_parameters():
        if ('cls' in name or 'reg_conf' in name) and p.dim() == 4:  # reg_conf: GFLv2's DGQP
            torch.nn.init.normal_(p, std=scale / (p.shape[1] * p.shape[2] * p.shape[3]) ** 0.5)
    torch.save(dict(state_dict=det.state_dict()), path)
    return path


def near_ties(scores: np.ndarray, tol: float) -> np.ndarray:
    """Ranks whose score is within ``tol`` of a neighbour's (their order is not defined)."""
    gap = np.minimum(np.abs(np.diff(scores, prepend=np.inf)),
                     np.abs(np.diff(scores, append=-np.inf)))
    return gap <= tol


@pytest.mark.parametrize('key', sorted(CONFIGS))
def test_parity_with_pytorch_and_trt_check(tmp_path, key):
    config, scale = CONFIGS[key]
    config = osp.join(REPO_ROOT, config)
    ckpt = make_checkpoint(config, str(tmp_path / 'w.pth'), scale)
    out = export_onnx(config, ckpt, SHAPE, str(tmp_path / 'm.onnx'))
    model = onnx.load(out)
    assert [o.name for o in model.graph.output] == ['dets', 'labels']
    assert check_trt(model) == []
    assert 'NonMaxSuppression' in {n.op_type for n in model.graph.node}
    # every conv sits in the network's ONNX scopes, which the int8 quantizer selects (GFLv2's
    # head once exported unscoped and stayed float)
    convs = [n.name for n in model.graph.node if n.op_type == 'Conv']
    assert convs and all(c.startswith(NETWORK_SCOPES) for c in convs), convs

    det, _ = load_detector(config, ckpt)
    if det.bbox_head.test_cfg.nms.type == 'soft_nms':  # exported with hard NMS (no ONNX op)
        det.bbox_head.test_cfg.nms = dict(type='nms', iou_threshold=0.45)
    k = det.bbox_head.test_cfg.max_per_img
    wrapper = end2end_module(det, SHAPE)
    assert isinstance(wrapper, AnchorEnd2End)
    sess = ort.InferenceSession(out, providers=['CPUExecutionProvider'])
    rng = np.random.default_rng(1)
    for _ in range(2):
        img = rng.integers(0, 255, (*SHAPE, 3), dtype=np.uint8)
        x = img.transpose(2, 0, 1)[None].astype(np.float32)
        dets, labels = sess.run(None, {'input': x})
        assert dets.shape == (1, k, 5) and labels.shape == (1, k) and labels.dtype == np.int32
        ref = torch_predict(det, img)
        n = len(ref)
        assert 0 < n <= k
        # 1. the graph's decoding, filtering and NMS are mmdet's predict, to float32 rounding
        with torch.no_grad():
            w_dets, w_labels = (t[0].numpy() for t in wrapper(torch.from_numpy(x)))
        assert (w_dets[n:] == 0).all()
        np.testing.assert_allclose(w_dets[:n, 4], ref.scores.numpy(), rtol=1e-5, atol=1e-6)
        tie = near_ties(ref.scores.numpy(), 1e-6)  # equal scores: either order is mmdet's
        assert tie.mean() < 0.2
        np.testing.assert_array_equal(w_labels[:n][~tie], ref.labels.numpy()[~tie])
        np.testing.assert_allclose(w_dets[:n, :4][~tie], ref.bboxes.numpy()[~tie], rtol=1e-5,
                                   atol=1e-3)
        # 2. onnxruntime runs that graph; random weights amplify float32 rounding through the
        # network to ~1e-4 on the scores (trained weights: see the closing note), so detections
        # are compared where their scores are that far from any other
        assert (dets[0, n:] == 0).all()
        np.testing.assert_allclose(dets[0, :n, 4], w_dets[:n, 4], atol=2e-3)
        ok = ~near_ties(w_dets[:n, 4], 2e-3)
        assert ok.sum() >= 5
        np.testing.assert_array_equal(labels[0, :n][ok], w_labels[:n][ok])
        np.testing.assert_allclose(dets[0, :n, :4][ok], w_dets[:n, :4][ok], rtol=1e-3, atol=0.1)

