"""INT8 post-training quantization of an exported detector, the metadata of our ONNX files and
the refusals of a file that does not fit the config: calibration reads the config's pipeline
images, the quantized graph has Q/DQ around the network's convolutions and float decoding."""

import os.path as osp
from collections import Counter

import mmcv
import numpy as np
import onnx
import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope

import mmdet_lite  # noqa: F401
from mmdet_lite.datasets.synthetic import make_synthetic_dataset
from mmdet_lite.export import ExportError, export_onnx
from mmdet_lite.export.deployed_eval import calibration_images, raw_pad_value
from mmdet_lite.export.onnx_detector import OnnxDetector
from mmdet_lite.export.quantize import network_nodes, network_output_nodes, quantize_detector
from mmdet_lite.export.trt_checker import check_trt
from projects_tests.conftest import REPO_ROOT
from projects_tests.export.test_anchor_end2end import make_checkpoint

pytest.importorskip('onnxruntime')

CONFIG = osp.join(REPO_ROOT, 'configs/attention_kd/ssd300_vgg16-1-8_synthetic.py')
SHAPE = (160, 288)
QDQ = ('QuantizeLinear', 'DequantizeLinear')


@pytest.fixture(scope='module')
def setup(tmp_path_factory):
    """A tiny synthetic split, the config pointed at it, and a random-weight fp32 export."""
    root = tmp_path_factory.mktemp('quant')
    make_synthetic_dataset(str(root / 'data'), num_train=5, num_val=2, seed=4)
    cfg = Config.fromfile(CONFIG)
    for loader in ('train_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = str(root / 'data') + '/'
    init_default_scope('mmdet')
    ckpt = make_checkpoint(CONFIG, str(root / 'ssd.pth'), scale=0.03)
    fp32 = export_onnx(CONFIG, ckpt, SHAPE, str(root / 'ssd.onnx'))
    images = list(calibration_images(cfg, 3, SHAPE, raw_pad_value(cfg.model.data_preprocessor)))
    return dict(root=root, cfg=cfg, ckpt=ckpt, fp32=fp32, images=images)


def test_calibration_images_are_the_pipeline_images(setup):
    """Evenly spaced training images (0, 2, 4 of 5), read from disk and resized as the test
    pipeline does (``Resize`` to 288x160, no keep-ratio), in mmcv's BGR order, not random."""
    from mmdet.registry import DATASETS
    cfg = setup['cfg']
    ds = DATASETS.build(dict(cfg.train_dataloader.dataset, pipeline=[], test_mode=True))
    for image, index in zip(setup['images'], (0, 2, 4), strict=True):
        raw = mmcv.imread(ds.get_data_info(index)['img_path'])
        expected = mmcv.imresize(raw, (SHAPE[1], SHAPE[0])).transpose(2, 0, 1)
        assert image.dtype == np.float32 and image.shape == (3, *SHAPE)
        np.testing.assert_array_equal(image, expected.astype(np.float32))
    with pytest.raises(ExportError, match='--calib 9 is more than the 5 training images'):
        next(calibration_images(cfg, 9, SHAPE, (0, 0, 0)))


def _producers(model):
    return {o: n for n in model.graph.node for o in n.output}


@pytest.mark.parametrize('target', ['onnxruntime', 'tensorrt'])
def test_quantized_graph_has_int8_convs_and_float_decoding(setup, tmp_path, target):
    out = str(tmp_path / f'int8_{target}.onnx')
    summary = quantize_detector(setup['fp32'], out, iter(setup['images']), target=target)
    assert summary['calibration_images'] == 3
    fp32, q = onnx.load(setup['fp32']), onnx.load(out)
    assert q.opset_import[0].version == 13
    made = _producers(q)
    inits = {t.name: t for t in q.graph.initializer}
    convs = [n for n in q.graph.node if n.op_type == 'Conv']
    assert convs and all(n.name.startswith(('/backbone/', '/neck/', '/bbox_head/'))
                         for n in convs)
    outputs = set(network_output_nodes(fp32))  # kept float by default
    assert outputs and len(outputs) < len(convs)
    for conv in convs:  # input and weight both dequantized int8, but the output convs
        if conv.name in outputs:
            assert conv.input[1] not in made, conv.name  # the float weight initializer
            continue
        assert made[conv.input[0]].op_type == 'DequantizeLinear', conv.name
        assert made[conv.input[1]].op_type == 'DequantizeLinear', conv.name
        if len(conv.input) > 2 and target == 'tensorrt':
            assert conv.input[2] in inits  # float bias
    # decoding, top-k and NMS: the same nodes as in the fp32 file, none quantized
    # (the opset-13 conversion turns constant attributes into Constant inputs)
    def decoding(model):
        return Counter(n.op_type for n in model.graph.node
                       if not n.name.startswith(('/backbone/', '/neck/', '/bbox_head/'))
                       and n.op_type not in (*QDQ, 'Constant'))
    assert decoding(q) == decoding(fp32)
    assert decoding(q)['NonMaxSuppression'] == 1
    for node in q.graph.node:
        if node.op_type == 'QuantizeLinear':  # quantizes a network tensor or the network input
            src = made.get(node.input[0])
            assert src is None or src.name.startswith(
                ('/backbone/', '/neck/', '/bbox_head/', '/normalize/')) or src.op_type in QDQ
    act_type = {'onnxruntime': onnx.TensorProto.UINT8, 'tensorrt': onnx.TensorProto.INT8}[target]
    zero_points = [inits[n.input[2]] for n in q.graph.node
                   if n.op_type == 'QuantizeLinear' and made.get(n.input[0]) is not None]
    assert zero_points and all(z.data_type == act_type for z in zero_points)
    if target == 'tensorrt':
        assert check_trt(q) == []
        assert not any(onnx.numpy_helper.to_array(z).any() for z in zero_points)  # symmetric
    det = OnnxDetector(out)
    assert det.precision == 'int8' and det.input_shape == SHAPE
    boxes, scores, labels = det(setup['images'][0])
    ref_boxes, ref_scores, _ = OnnxDetector(setup['fp32'])(setup['images'][0])
    assert len(scores) and abs(scores[0] - ref_scores[0]) < 0.1


def test_output_layers_end_at_the_last_conv_and_can_be_quantized(setup, tmp_path):
    fp32 = onnx.load(setup['fp32'])
    outputs = network_output_nodes(fp32)
    assert outputs and set(outputs) <= set(network_nodes(fp32))
    assert all(n.op_type in ('Conv', 'Reshape', 'Transpose', 'Sigmoid', 'Softmax', 'Concat')
               for n in fp32.graph.node if n.name in outputs)
    # SSD: a cls and a reg conv per level, each the last conv of its branch, nothing before
    convs = [n for n in fp32.graph.node if n.name in outputs and n.op_type == 'Conv']
    assert len(convs) == 2 * len(fp32_levels(fp32))
    out = str(tmp_path / 'int8.onnx')
    quantize_detector(setup['fp32'], out, iter(setup['images']), keep_float_outputs=False)
    q = onnx.load(out)
    made, by_name = _producers(q), {n.name: n for n in q.graph.node}
    assert all(made[by_name[c.name].input[1]].op_type == 'DequantizeLinear' for c in convs)


def fp32_levels(model):
    """The SSD head's levels: its classification convs."""
    return [n for n in model.graph.node if n.op_type == 'Conv' and '/cls_convs.' in n.name]


def test_metadata_fp16_and_refusals(setup, tmp_path):
    det = OnnxDetector(setup['fp32'])
    assert det.classes == ('vehicle', 'pedestrian', 'scooter', 'bicycle')
    assert det.input_shape == SHAPE and det.precision == 'fp32'
    assert det.config == CONFIG
    det.check_fits(det.classes, SHAPE, 'cfg.py')
    with pytest.raises(ExportError, match=r"predicts the classes .*'vehicle'.* but other.py "
                       r"evaluates \['car'\]: pass the config the model was trained with"):
        det.check_fits(('car', ), SHAPE, 'other.py')
    with pytest.raises(ExportError, match=r'takes 160x288 .*resizes images to 320x576: export '
                       r'the checkpoint again with --shape 320 576'):
        det.check_fits(det.classes, (320, 576), 'other.py')
    fp16 = export_onnx(CONFIG, setup['ckpt'], SHAPE, str(tmp_path / 'fp16.onnx'), fp16=True)
    assert OnnxDetector(fp16).precision == 'fp16'
    # ONNX NonMaxSuppression is float32-only: the fp16 file casts its boxes and scores back
    # (onnxruntime refused the whole graph before), and it detects what the fp32 file does
    model = onnx.load(fp16)
    nms = [n for n in model.graph.node if n.op_type == 'NonMaxSuppression']
    made = _producers(model)
    assert [made[i].op_type for i in nms[0].input[:2]] == ['Cast', 'Cast']
    assert check_trt(model) == []
    _, s16, _ = OnnxDetector(fp16)(setup['images'][0])
    _, s32, _ = det(setup['images'][0])
    assert len(s16) and abs(s16[0] - s32[0]) <= 1e-2 * s32[0]
    with pytest.raises(ExportError, match='fp16 file; quantize the fp32 export'):
        quantize_detector(fp16, str(tmp_path / 'x.onnx'), iter(setup['images']))
    with pytest.raises(ExportError, match='not found'):
        OnnxDetector(str(tmp_path / 'missing.onnx'))


def test_nan_activations_are_named(tmp_path):
    """A NaN weight (e.g. a parameter left uninitialised) makes onnxruntime's scale computation
    assert; the refusal says what it means."""
    import torch

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.backbone = torch.nn.Conv2d(3, 4, 3, padding=1)

        def forward(self, x):
            return self.backbone(x)
    net = Net().eval()
    net.backbone.weight.data[0] = float('nan')
    path = str(tmp_path / 'nan.onnx')
    torch.onnx.export(net, torch.zeros(1, 3, 8, 8), path, opset_version=13, dynamo=False,
                      input_names=['input'])
    images = [np.full((3, 8, 8), 100, np.float32)] * 2
    with pytest.raises(ExportError, match='NaN or infinite on the calibration images'):
        quantize_detector(path, str(tmp_path / 'q.onnx'), iter(images))


def test_tool_warns_that_a_tx2_has_no_int8_and_writes_the_deploy_info(setup, tmp_path, capsys):
    """tools/quantize_onnx.py --target tensorrt: the file is for Xavier / Orin, the TX2 takes an
    FP16 engine; the int8 file gets its own deploy info (precision, SHA-256)."""
    import json

    from mmdet_lite.export.deploy_info import file_sha256
    from projects_tests.conftest import load_tool
    cfg_file = tmp_path / 'cfg.py'
    data_root = str(setup['root'] / 'data') + '/'
    cfg_file.write_text(f'_base_ = {CONFIG!r}\n' + ''.join(
        f'{loader} = dict(dataset=dict(data_root={data_root!r}))\n'
        for loader in ('train_dataloader', 'test_dataloader')))
    out = str(tmp_path / 'ssd_int8.onnx')
    code = load_tool('quantize_onnx').main([str(cfg_file), setup['fp32'], '--out', out,
                                            '--calib', '2', '--target', 'tensorrt'])
    printed = capsys.readouterr().out
    assert code == 0
    assert 'WARNING: a Jetson TX2 (Pascal, sm_62) has no fast INT8' in printed
    assert 'trtexec --onnx=MODEL.onnx --fp16' in printed
    with open(tmp_path / 'ssd_int8.deploy.json') as f:
        info = json.load(f)
    assert info['precision'] == 'int8' and info['model_sha256'] == file_sha256(out)
    assert info['exported_by'] == 'tools/quantize_onnx.py --target tensorrt'
