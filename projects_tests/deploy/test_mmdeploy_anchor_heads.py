"""mmdeploy 1.3.1 conversion of the anchor-based families (RefineDetLite, GFLv2, SSD students)
with our rewriters: the rewriter is applied, the file passes the TensorRT 8.2 check after
``make_trt_ready`` and onnxruntime's detections equal PyTorch's ``predict``. Skipped without the
deploy extra."""

import os.path as osp

import numpy as np
import pytest
import torch

from projects_tests.conftest import REPO_ROOT, torch_predict

mmdeploy = pytest.importorskip(
    'mmdeploy', reason='mmdeploy (deploy extra) not installed: run `make install-deploy`')

import mmdet_lite.deploy  # noqa: E402,F401
from mmdet_lite.export import load_detector  # noqa: E402
from mmdet_lite.export.trt_checker import check_trt  # noqa: E402
from projects_tests.export.test_anchor_end2end import SHAPE, make_checkpoint, near_ties  # noqa: E402

DEPLOY = osp.join(REPO_ROOT, 'configs/deploy')
CONFIGS = {
    'refinedet_lite': ('configs/refinedet_lite/refinedet-lite_res2netlite72_synthetic.py', 0.3,
                       'RefineDetLiteHead'),
    'effnet_gflv2': ('configs/effnet_gfl/effnet-gfl_row4_lite1-416-silu-gflv2-amp-sparse24_'
                     'synthetic.py', 0.5, 'GFLv2Head'),
    'ssd_1_8': ('configs/attention_kd/ssd300_vgg16-1-8_synthetic.py', 0.03, 'SSDHead'),
    'effnet_gflv1': ('configs/effnet_gfl/effnet-gfl_row3_lite1-416-silu-gflv1-amp_synthetic.py',
                     0.5, 'GFLHead'),
}


def test_rewriter_is_applied():
    """Each family's head predicts through our rewriter inside mmdeploy's context, for both
    backends, not through mmdeploy's backend-generic one; restored outside."""
    from mmdeploy.core import RewriterContext
    from mmdet.models import dense_heads as mmdet_heads
    from mmengine.config import Config

    from mmdet_lite.deploy import rewriters
    from mmdet_lite.models import dense_heads
    heads = [getattr(dense_heads, name, None) or getattr(mmdet_heads, name)
             for _, _, name in CONFIGS.values()]
    originals = [head.predict_by_feat for head in heads]
    ours = {f.__code__ for f in vars(rewriters).values() if callable(f)
            and getattr(f, '__name__', '').endswith('__predict_by_feat')}
    cfg = Config.fromfile(osp.join(DEPLOY, 'detection_onnxruntime_static.py'))
    for backend in ('onnxruntime', 'tensorrt'):
        with RewriterContext(cfg=cfg, backend=backend):
            for head, original in zip(heads, originals, strict=True):
                patched = head.predict_by_feat
                assert patched is not original, (head.__name__, backend)
                assert patched.__code__ in ours or any(
                    getattr(c.cell_contents, '__code__', None) in ours
                    for c in (patched.__closure__ or ())), (head.__name__, backend)
    assert [head.predict_by_feat for head in heads] == originals


@pytest.mark.parametrize('key', sorted(CONFIGS))
def test_torch2onnx_parity_and_trt_check(tmp_path, key):
    import cv2
    import onnx
    import onnxruntime as ort
    from mmdeploy.apis import torch2onnx
    from mmengine.config import Config

    from mmdet_lite.deploy import allow_tensorrt_export_on_cpu, make_trt_ready
    config, scale, _ = CONFIGS[key]
    config = osp.join(REPO_ROOT, config)
    ckpt = make_checkpoint(config, str(tmp_path / 'w.pth'), scale)
    img = np.random.default_rng(1).integers(0, 255, (*SHAPE, 3), dtype=np.uint8)
    img_path = str(tmp_path / 'img.png')
    cv2.imwrite(img_path, img)
    deploy_cfg = Config.fromfile(osp.join(DEPLOY, 'detection_onnxruntime_static.py'))
    with allow_tensorrt_export_on_cpu():
        torch2onnx(img_path, str(tmp_path), 'end2end.onnx', deploy_cfg, config, ckpt,
                   device='cpu')
    path = make_trt_ready(str(tmp_path / 'end2end.onnx'), static=True)
    model = onnx.load(path)
    assert check_trt(model) == []
    assert 'NonMaxSuppression' in {n.op_type for n in model.graph.node}

    det, _ = load_detector(config, ckpt)
    if det.bbox_head.test_cfg.nms.type == 'soft_nms':
        det.bbox_head.test_cfg.nms = dict(type='nms', iou_threshold=0.45)
    ref = torch_predict(det, img)
    n = len(ref)
    assert n > 5
    from mmdet.structures import DetDataSample
    sample = DetDataSample(metainfo=dict(img_shape=SHAPE, ori_shape=SHAPE,
                                         scale_factor=(1.0, 1.0)))
    x = det.data_preprocessor(dict(inputs=[torch.from_numpy(img).permute(2, 0, 1)],
                                   data_samples=[sample]), False)['inputs'].numpy()
    dets, labels = ort.InferenceSession(path).run(None, {'input': x})
    assert dets.shape == (1, det.bbox_head.test_cfg.max_per_img, 5) and labels.dtype == np.int32
    # random weights amplify float32 rounding to ~1e-4 on the scores (see test_anchor_end2end)
    assert (dets[0, n:] == 0).all()
    np.testing.assert_allclose(dets[0, :n, 4], ref.scores.numpy(), atol=2e-3)
    ok = ~near_ties(ref.scores.numpy(), 2e-3)
    assert ok.sum() >= 5
    np.testing.assert_array_equal(labels[0, :n][ok], ref.labels.numpy()[ok])
    np.testing.assert_allclose(dets[0, :n, :4][ok], ref.bboxes.numpy()[ok], rtol=1e-3, atol=0.1)


def test_dynamic_config_is_refused_with_the_static_ones(tmp_path):
    import cv2
    from mmdeploy.apis import torch2onnx
    from mmengine.config import Config
    config = osp.join(REPO_ROOT, CONFIGS['refinedet_lite'][0])
    ckpt = make_checkpoint(config, str(tmp_path / 'w.pth'), 0.3)
    cv2.imwrite(str(tmp_path / 'img.png'), np.zeros((*SHAPE, 3), np.uint8))
    deploy_cfg = Config.fromfile(osp.join(DEPLOY, 'detection_onnxruntime_dynamic.py'))
    with pytest.raises(NotImplementedError, match='static'):
        torch2onnx(str(tmp_path / 'img.png'), str(tmp_path), 'end2end.onnx', deploy_cfg, config,
                   ckpt, device='cpu')


# each TensorRT deploy config at the size its family trains at (576x320: Mobile CenterNet,
# test_mmdeploy_conversion.py)
TRT_CONFIGS = {
    'detection_tensorrt-fp16_static-320x320.py': ('refinedet_lite', (320, 320)),
    'detection_tensorrt-fp16_static-300x300.py': ('ssd_1_8', (300, 300)),
    'detection_tensorrt-fp16_static-416x416.py': ('effnet_gflv2', (416, 416)),
}


def test_every_tensorrt_deploy_config_is_exercised():
    import glob
    found = {osp.basename(p) for p in glob.glob(osp.join(DEPLOY, 'detection_tensorrt*.py'))}
    assert found == set(TRT_CONFIGS) | {'detection_tensorrt-fp16_static-576x320.py'}


@pytest.mark.parametrize('deploy', sorted(TRT_CONFIGS))
def test_tensorrt_deploy_config_fits_its_family(deploy):
    """Each TensorRT deploy config: its ONNX input size is the engine's (min = opt = max) and a
    multiple of its family's stride (tools/deploy.py refuses others)."""
    from mmengine.config import Config

    from mmdet_lite.export import model_stride
    key, (h, w) = TRT_CONFIGS[deploy]
    cfg = Config.fromfile(osp.join(DEPLOY, deploy))
    assert list(cfg.onnx_config.input_shape) == [w, h]
    shapes = cfg.backend_config.model_inputs[0].input_shapes.input
    assert shapes.min_shape == shapes.opt_shape == shapes.max_shape == [1, 3, h, w]
    stride = model_stride(load_detector(osp.join(REPO_ROOT, CONFIGS[key][0]), None)[0])
    assert h % stride == 0 and w % stride == 0


def test_tensorrt_deploy_config_traces_at_its_size(tmp_path):
    """The TensorRT trace of a family's graph at its deploy config's size (the same code path for
    every TensorRT config; the smallest one is traced): that input shape, the TensorRT 8.2
    check after ``make_trt_ready``, fixed-size outputs in onnxruntime."""
    import cv2
    import onnx
    import onnxruntime as ort
    from mmdeploy.apis import torch2onnx
    from mmengine.config import Config

    from mmdet_lite.deploy import allow_tensorrt_export_on_cpu, make_trt_ready
    deploy = 'detection_tensorrt-fp16_static-300x300.py'
    key, (h, w) = TRT_CONFIGS[deploy]
    config, scale, _ = CONFIGS[key]
    config = osp.join(REPO_ROOT, config)
    ckpt = make_checkpoint(config, str(tmp_path / 'w.pth'), scale)
    img_path = str(tmp_path / 'img.png')
    cv2.imwrite(img_path, np.random.default_rng(1).integers(0, 255, (h, w, 3), dtype=np.uint8))
    cfg = Config.fromfile(osp.join(DEPLOY, deploy))
    with allow_tensorrt_export_on_cpu():
        torch2onnx(img_path, str(tmp_path), 'end2end.onnx', cfg, config, ckpt, device='cpu')
    path = make_trt_ready(str(tmp_path / 'end2end.onnx'), static=True)
    model = onnx.load(path)
    assert [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim] == [1, 3, h, w]
    assert check_trt(model) == []
    dets, labels = ort.InferenceSession(path).run(None, {'input': np.zeros((1, 3, h, w),
                                                                           np.float32)})
    assert dets.shape[:1] == (1, ) and dets.shape[2] == 5 and labels.shape == dets.shape[:2]
