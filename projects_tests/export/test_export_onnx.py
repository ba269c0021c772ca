"""End-to-end ONNX export of Mobile CenterNet: onnxruntime parity with PyTorch, TRT-8.2 check,
fp16 size, and the bad-input errors (mismatched checkpoint, shape not divisible by the stride)."""

import os.path as osp

import numpy as np
import onnx
import pytest
import torch

import mmdet_lite  # noqa: F401
from mmdet_lite.export import ExportError, export_onnx, load_detector
from mmdet_lite.export.trt_checker import check_trt
from projects_tests.conftest import REPO_ROOT, assert_dets_match, torch_predict

ort = pytest.importorskip('onnxruntime')

STUDENT = osp.join(REPO_ROOT, 'configs/mobile_centernet/mcn_hrnet-w16_synthetic.py')
TEACHER = osp.join(REPO_ROOT, 'configs/mobile_centernet/mcn_hrnet-w32_teacher_synthetic.py')
SHAPE = (160, 288)


@pytest.fixture(scope='module')
def student_ckpt(tmp_path_factory):
    """W16 weights with a trained-like heatmap: peaks well separated from the background."""
    torch.manual_seed(0)
    det, _ = load_detector(STUDENT, None)
    det.init_weights()
    # "trained-like": BN statistics of real activations, and heatmap scores spread over (0, 1)
    # instead of all at the 0.1 prior, so that the top-k order is well defined
    for m in det.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.momentum = None
    det.train()
    imgs = np.stack(synthetic_images(4)).transpose(0, 3, 1, 2).astype(np.float32)
    with torch.no_grad():
        det.bbox_head.forward_logits(det.extract_feat((torch.from_numpy(imgs) - 120) / 58))
    torch.nn.init.normal_(det.bbox_head.heatmap_head[-1].weight, std=0.3)
    path = str(tmp_path_factory.mktemp('ckpt') / 'w16.pth')
    torch.save(dict(state_dict=det.state_dict()), path)
    return path


def synthetic_images(n=3, seed=0):
    rng = np.random.default_rng(seed)
    imgs = []
    for _ in range(n):
        img = rng.integers(0, 255, (*SHAPE, 3), dtype=np.uint8)
        img[40:90, 60:160] = rng.integers(0, 80)  # a flat "object" region
        imgs.append(img)
    return imgs


def test_parity_with_pytorch_and_trt_check(tmp_path, student_ckpt):
    out = export_onnx(STUDENT, student_ckpt, SHAPE, str(tmp_path / 'w16.onnx'))
    model = onnx.load(out)
    assert model.opset_import[0].version == 11
    assert [o.name for o in model.graph.output] == ['dets', 'labels']
    assert check_trt(model) == []
    ops = {n.op_type for n in model.graph.node}
    assert not ops & {'Mod', 'Reciprocal', 'NonMaxSuppression', 'ConstantOfShape'}
    # the head's convs are in its scope, which the int8 quantizer selects
    head_convs = [n.name for n in model.graph.node
                  if n.op_type == 'Conv' and n.name.startswith('/bbox_head/')]
    assert len(head_convs) == 6, head_convs  # heatmap, size, offset: 2 convs each

    det, _ = load_detector(STUDENT, student_ckpt)
    sess = ort.InferenceSession(out, providers=['CPUExecutionProvider'])
    for img in synthetic_images(3, seed=1):
        x = torch.from_numpy(img).permute(2, 0, 1)[None].float().numpy()
        dets, labels = sess.run(None, {'input': x})
        assert dets.shape == (1, 100, 5) and labels.shape == (1, 100)
        assert labels.dtype == np.int32
        ref = torch_predict(det, img)
        assert_dets_match(dets[0], labels[0], ref)


def test_fp16_halves_the_file_and_runs(tmp_path, student_ckpt):
    fp32 = export_onnx(STUDENT, student_ckpt, SHAPE, str(tmp_path / 'a.onnx'))
    fp16 = export_onnx(STUDENT, student_ckpt, SHAPE, str(tmp_path / 'b.onnx'), fp16=True)
    assert osp.getsize(fp16) < 0.55 * osp.getsize(fp32)
    assert check_trt(fp16) == []
    x = torch.from_numpy(synthetic_images(1)[0]).permute(2, 0, 1)[None].float().numpy()
    a = ort.InferenceSession(fp32).run(None, {'input': x})
    b = ort.InferenceSession(fp16).run(None, {'input': x})
    assert b[0].dtype == np.float32
    # the top detection survives half precision
    np.testing.assert_allclose(b[0][0, 0, 4], a[0][0, 0, 4], rtol=1e-2)


def test_checkpoint_of_another_config_is_refused(tmp_path, student_ckpt):
    with pytest.raises(ExportError, match='does not fit the model of .*teacher'):
        export_onnx(TEACHER, student_ckpt, SHAPE, str(tmp_path / 'x.onnx'))


def test_checkpoint_of_another_class_order_is_refused(tmp_path, student_ckpt):
    """The file would record the config's order while the weights predict the checkpoint's:
    every deployed label wrong. Refused, naming both orders."""
    ckpt = torch.load(student_ckpt, weights_only=False)
    ckpt['meta'] = dict(dataset_meta=dict(classes=['bicycle', 'scooter', 'pedestrian',
                                                   'vehicle']))
    torch.save(ckpt, tmp_path / 'reordered.pth')
    with pytest.raises(ExportError, match=r"trained on classes \['bicycle', 'scooter'.*but .* "
                       r"evaluates \['vehicle', 'pedestrian'"):
        export_onnx(STUDENT, str(tmp_path / 'reordered.pth'), SHAPE, str(tmp_path / 'x.onnx'))


def test_shape_not_divisible_by_stride(tmp_path, student_ckpt):
    with pytest.raises(ExportError, match='stride 32.*--shape 320 576'):
        export_onnx(STUDENT, student_ckpt, (330, 570), str(tmp_path / 'x.onnx'))


def test_kd_config_is_pointed_to_the_student(tmp_path, student_ckpt):
    kd = osp.join(REPO_ROOT, 'configs/mobile_centernet',
                  'kd_mcn_hrnet-w32-teacher_hrnet-w16-student_cbfl_synthetic.py')
    with pytest.raises(ExportError, match='plain student config'):
        export_onnx(kd, student_ckpt, SHAPE, str(tmp_path / 'x.onnx'))
