"""mmdeploy 1.3.1 conversion of Mobile CenterNet with our rewriter (deploy extra; CI installs it).

Skipped, with the reason, where ``make install-deploy`` has not been run.
"""

import os.path as osp

import numpy as np
import pytest
import torch

from projects_tests.conftest import REPO_ROOT, assert_dets_match

mmdeploy = pytest.importorskip(
    'mmdeploy', reason='mmdeploy (deploy extra) not installed: run `make install-deploy`')

import mmdet_lite.deploy  # noqa: E402,F401
from mmdet_lite.export import load_detector  # noqa: E402
from mmdet_lite.export.trt_checker import check_trt  # noqa: E402

STUDENT = osp.join(REPO_ROOT, 'configs/mobile_centernet/mcn_hrnet-w16_synthetic.py')
DEPLOY = osp.join(REPO_ROOT, 'configs/deploy')


@pytest.fixture(scope='module')
def checkpoint(tmp_path_factory):
    torch.manual_seed(0)
    det, _ = load_detector(STUDENT, None)
    det.init_weights()
    for m in det.modules():  # BN statistics of real activations, spread heatmap scores
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.momentum = None
    det.train()
    with torch.no_grad():
        x = torch.rand(4, 3, 160, 288) * 4 - 2
        det.bbox_head.forward_logits(det.extract_feat(x))
    torch.nn.init.normal_(det.bbox_head.heatmap_head[-1].weight, std=0.3)
    root = tmp_path_factory.mktemp('deploy')
    path = str(root / 'w16.pth')
    torch.save(dict(state_dict=det.state_dict()), path)
    rng = np.random.default_rng(0)
    img = rng.integers(0, 255, (160, 288, 3), dtype=np.uint8)
    img[40:90, 60:160] = 30
    import cv2
    img_path = str(root / 'img.jpg')
    cv2.imwrite(img_path, img)
    return path, img_path


def convert(deploy_cfg, checkpoint, img, work_dir):
    from mmdeploy.apis import torch2onnx
    from mmengine.config import Config

    from mmdet_lite.deploy import allow_tensorrt_export_on_cpu
    cfg = Config.fromfile(osp.join(DEPLOY, deploy_cfg))
    with allow_tensorrt_export_on_cpu():
        torch2onnx(img, str(work_dir), 'end2end.onnx', cfg, STUDENT, checkpoint, device='cpu')
    return str(work_dir / 'end2end.onnx'), cfg


def test_rewriter_is_applied():
    from mmdeploy.core import RewriterContext
    from mmengine.config import Config

    from mmdet_lite.deploy.rewriters import centernet_hrnet_head__predict_by_feat
    from mmdet_lite.models.dense_heads import CenterNetHRNetHead
    original = CenterNetHRNetHead.predict_by_feat
    cfg = Config.fromfile(osp.join(DEPLOY, 'detection_onnxruntime_static.py'))
    with RewriterContext(cfg=cfg, backend='onnxruntime'):
        patched = CenterNetHRNetHead.predict_by_feat
    assert patched is not original
    # mmdeploy wraps the registered function; it must be ours, not mmdeploy's CenterNetHead one
    assert getattr(patched, '__wrapped__', patched) is centernet_hrnet_head__predict_by_feat \
        or centernet_hrnet_head__predict_by_feat.__code__ in {
            getattr(c.cell_contents, '__code__', None) for c in (patched.__closure__ or ())}
    assert CenterNetHRNetHead.predict_by_feat is original


def test_torch2onnx_static_parity_and_trt_check(tmp_path, checkpoint):
    import onnxruntime as ort
    ckpt, img_path = checkpoint
    onnx_path, _ = convert('detection_onnxruntime_static.py', ckpt, img_path, tmp_path)
    assert check_trt(onnx_path) == []
    import onnx
    ops = {n.op_type for n in onnx.load(onnx_path).graph.node}
    assert 'Mod' not in ops and 'Reciprocal' not in ops  # our rewriter, not mmdeploy's

    import cv2
    from mmdet.structures import DetDataSample
    det, _ = load_detector(STUDENT, ckpt)
    img = cv2.imread(img_path)
    sample = DetDataSample(metainfo=dict(img_shape=img.shape[:2], ori_shape=img.shape[:2],
                                         scale_factor=(1.0, 1.0)))
    data = det.data_preprocessor(
        dict(inputs=[torch.from_numpy(img).permute(2, 0, 1)], data_samples=[sample]), False)
    with torch.no_grad():
        ref = det(**data, mode='predict')[0].pred_instances
    # mmdeploy's ONNX takes the preprocessed (normalised, RGB) tensor
    dets, labels = ort.InferenceSession(onnx_path).run(None, {'input': data['inputs'].numpy()})
    assert_dets_match(dets[0], labels[0], ref)

    # tools/deploy.py's deploy info says so: the device-side pre-processing gives that tensor
    import sys

    from projects_tests.conftest import load_tool
    info_file = load_tool('deploy').write_mmdeploy_info(onnx_path, STUDENT, 'student.py')
    sys.path.insert(0, osp.join(REPO_ROOT, 'tools', 'jetson'))
    import engine_pipeline
    info = engine_pipeline.load_info(info_file)
    assert info['preprocess']['to_rgb'] and info['exported_by'].startswith('tools/deploy.py')
    engine_pipeline.check_model_file(info, onnx_path, info_file)
    x, factor = engine_pipeline.preprocess(engine_pipeline.read_image(img_path), info)
    np.testing.assert_allclose(x, data['inputs'].numpy(), rtol=0, atol=1e-5)
    assert factor == (1.0, 1.0)


def test_tensorrt_static_config_export_passes_the_checker(tmp_path, checkpoint):
    ckpt, img_path = checkpoint
    onnx_path, cfg = convert('detection_tensorrt-fp16_static-576x320.py', ckpt, img_path,
                             tmp_path)
    import onnx
    model = onnx.load(onnx_path)
    dims = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    assert dims == [1, 3, 320, 576]
    assert check_trt(model) == []
    assert cfg.codebase_config.post_processing.pre_top_k <= 1000


def test_dynamic_config_runs_at_two_sizes(tmp_path, checkpoint):
    import onnxruntime as ort
    ckpt, img_path = checkpoint
    onnx_path, _ = convert('detection_onnxruntime_dynamic.py', ckpt, img_path, tmp_path)
    sess = ort.InferenceSession(onnx_path)
    for h, w in ((160, 288), (320, 576)):
        dets, labels = sess.run(None, {'input': np.zeros((1, 3, h, w), np.float32)})
        assert dets.shape == (1, 100, 5) and labels.shape == (1, 100)
        assert dets[0, :, [0, 2]].max() <= w and dets[0, :, [1, 3]].max() <= h
