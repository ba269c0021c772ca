"""No float tensor of an exported graph holds an index above 2048 (float16's exact integers).

TensorRT may run any float layer in half precision (an fp16 file, or ``trtexec --fp16`` on an
fp32 one), and onnxruntime's CPU provider upcasts float16 nodes it has no kernel for, so a parity
test in onnxruntime cannot see an index rounded in fp16. This test reads the graph instead: the
float tensors whose values are computed from TopK's indices (not the values a Gather fetches with
them) are made graph outputs, TopK is fed a ramp so that it returns the largest indices the graph
can produce, and every such value must stay within 2048, in the fp32 and the fp16 file of every
family.
"""

import io
import os.path as osp

import numpy as np
import onnx
import pytest
import torch
from onnx import TensorProto, numpy_helper

import mmdet_lite  # noqa: F401
from mmdet_lite.export import export_onnx, load_detector
from mmdet_lite.export.fp16 import convert_to_fp16
from projects_tests.conftest import REPO_ROOT

ort = pytest.importorskip('onnxruntime')

FLOATS = {TensorProto.FLOAT, TensorProto.FLOAT16, TensorProto.DOUBLE, TensorProto.BFLOAT16}
GATHERS = {'Gather', 'GatherElements', 'GatherND'}
# the smallest input of each family whose top-k index space exceeds 2048
FAMILIES = {
    'centernet': ('configs/mobile_centernet/mcn_hrnet-w16_synthetic.py', (160, 288)),
    'refinedet': ('configs/refinedet_lite/refinedet-lite_res2netlite72_synthetic.py', (128, 128)),
    'ssd': ('configs/attention_kd/ssd300_vgg16-1-8_synthetic.py', (128, 128)),
    'gfl': ('configs/effnet_gfl/effnet-gfl_row4-dense_lite1-416-silu-gflv2-amp_synthetic.py',
            (128, 128)),
}


def index_floats(model: onnx.ModelProto) -> list:
    """Names of the float tensors computed from a TopK's index output (``model`` with its
    shapes and types inferred)."""
    types = {vi.name: vi.type.tensor_type.elem_type for vi in
             [*model.graph.value_info, *model.graph.output, *model.graph.input]}
    tainted = {n.output[1] for n in model.graph.node if n.op_type == 'TopK'}
    for node in model.graph.node:  # ONNX nodes are in topological order
        hit = [i for i in node.input if i in tainted]
        if not hit or (node.op_type in GATHERS and node.input[0] not in tainted):
            continue  # an index that only selects values: what it fetches is data
        tainted.update(node.output)
    return sorted(t for t in tainted if types.get(t) in FLOATS)


def largest_index_values(model: onnx.ModelProto, shape) -> dict:
    """Run ``model`` with each TopK fed a ramp (the largest indices win, with scores in [0, 1));
    return the values of :func:`index_floats` as ``{name: max |value|}``."""
    model = onnx.shape_inference.infer_shapes(model)
    names = index_floats(model)
    vis = {vi.name: vi for vi in model.graph.value_info}
    for node in model.graph.node:
        if node.op_type != 'TopK':
            continue
        dims = [d.dim_value for d in vis[node.input[0]].type.tensor_type.shape.dim]
        if not all(dims):  # sized by the data (after NMS): its indices only select rows
            continue
        # increasing along the flat index, in [0, 1): TopK's values stay scores, not indices
        ramp = (np.arange(np.prod(dims), dtype=np.float64) / np.prod(dims)).reshape(dims)
        dtype = vis[node.input[0]].type.tensor_type.elem_type
        ramp = ramp.astype(np.float16 if dtype == TensorProto.FLOAT16 else np.float32)
        init = numpy_helper.from_array(ramp, node.input[0] + '_ramp')
        model.graph.initializer.append(init)
        node.input[0] = init.name
    model.graph.output.extend(vis[n] for n in names if n in vis)
    sess = ort.InferenceSession(model.SerializeToString(), providers=['CPUExecutionProvider'])
    x = np.random.default_rng(0).uniform(0, 255, (1, 3, *shape)).astype(np.float32)
    outs = dict(zip([o.name for o in sess.get_outputs()], sess.run(None, {'input': x}),
                    strict=True))
    return {n: float(np.abs(outs[n].astype(np.float64)).max()) for n in names if n in outs}


@pytest.fixture(scope='module')
def exported(tmp_path_factory):
    """fp32 graph of each family (random weights: the index range does not depend on them)."""
    root = tmp_path_factory.mktemp('idx')
    out = {}
    for fam, (config, shape) in FAMILIES.items():
        config = osp.join(REPO_ROOT, config)
        torch.manual_seed(0)
        det, _ = load_detector(config, None)
        det.init_weights()
        ckpt = str(root / f'{fam}.pth')
        torch.save(dict(state_dict=det.state_dict()), ckpt)
        out[fam] = onnx.load(export_onnx(config, ckpt, shape, str(root / f'{fam}.onnx')))
    return out


@pytest.mark.parametrize('precision', ['fp32', 'fp16'])
@pytest.mark.parametrize('family', sorted(FAMILIES))
def test_no_float_index_above_2048(exported, family, precision):
    model = onnx.ModelProto()
    model.CopyFrom(exported[family])
    if precision == 'fp16':
        model = convert_to_fp16(model)
    values = largest_index_values(model, FAMILIES[family][1])
    too_big = {n: v for n, v in values.items() if v > 2048}
    assert not too_big, f'{family} {precision}: float tensors hold indices > 2048: {too_big}'
    if family == 'centernet':  # y and x are cast to float (and then offset): they are checked
        assert values, 'expected the float y / x of the top-k positions'


def test_the_check_catches_float_index_arithmetic():
    """The old decoding split the flat index with float Mul/Floor: the check must flag it."""
    class FloatSplit(torch.nn.Module):
        def forward(self, x):
            _, inds = x.reshape(1, -1).topk(10)
            ind = inds.float()
            cls = torch.floor((ind + 0.5) * (1.0 / 100))
            return ind - cls * 100, cls

    x = torch.zeros(1, 3, 40, 100)
    buf = io.BytesIO()
    torch.onnx.export(FloatSplit(), (x, ), buf, opset_version=11, dynamo=False,
                      input_names=['input'])
    model = onnx.load_from_string(buf.getvalue())
    values = largest_index_values(model, (40, 100))
    assert max(values.values()) > 2048  # the Cast to float of indices up to 11999
