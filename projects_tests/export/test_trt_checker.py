"""The TensorRT 8.2 parser check fails a graph with each kind of violation, by node name."""


import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from mmdet_lite.export.trt_checker import TRT82_SUPPORTED, TRT82_UNSUPPORTED, check_trt
from projects_tests.conftest import tool_main


def bad_graph(opset=11):
    f = TensorProto.FLOAT
    x = helper.make_tensor_value_info('x', f, [1, 4, 8, 8])
    k_in = helper.make_tensor_value_info('k', TensorProto.INT64, [1])
    scales_in = helper.make_tensor_value_info('scales', f, [4])
    outs = [helper.make_tensor_value_info('idx', TensorProto.INT64, [1, 3]),
            helper.make_tensor_value_info('y', f, [1, 4, 16, 16]),
            helper.make_tensor_value_info('m', f, [1, 4, 8, 8]),
            helper.make_tensor_value_info('r', f, [1, 4, 8, 8]),
            helper.make_tensor_value_info('z', TensorProto.INT64, [2])]
    inits = [numpy_helper.from_array(np.array([1, 4, 8, 8], np.int64), 'shape'),
             numpy_helper.from_array(np.array([2], np.int64), 'two'),
             numpy_helper.from_array(np.zeros(0, np.float32), 'roi')]
    nodes = [
        helper.make_node('Reshape', ['x', 'shape'], ['flat'], name='reshape'),
        helper.make_node('TopK', ['flat', 'k'], ['vals', 'idx'], axis=3, name='topk_dynamic_k'),
        helper.make_node('Resize', ['x', 'roi', 'scales'], ['y'], mode='cubic',
                         name='resize_dynamic'),
        helper.make_node('MaxPool', ['x'], ['m', 'm_idx'], kernel_shape=[3, 3], pads=[1] * 4,
                         name='maxpool_with_indices'),
        helper.make_node('Reciprocal', ['x'], ['r'], name='reciprocal'),
        helper.make_node('Mod', ['two', 'two'], ['z0'], name='mod'),
        helper.make_node('ConstantOfShape', ['two'], ['z'],
                         value=numpy_helper.from_array(np.array([1], np.int64)),
                         name='int64_constant_of_shape'),
    ]
    graph = helper.make_graph(nodes, 'bad', [x, k_in, scales_in], outs, inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid('', opset)])


def test_bad_graph_fails_with_each_violation_named():
    found = [str(v) for v in check_trt(bad_graph(opset=14))]
    text = '\n'.join(found)
    for expect in ['opset 14 > 13', 'topk_dynamic_k (TopK): input 1 (k) must be a constant',
                   "resize_dynamic (Resize): input 2 (scales) must be a constant",
                   "resize_dynamic (Resize): mode 'cubic' unsupported",
                   'maxpool_with_indices (MaxPool): Indices output is unsupported',
                   'reciprocal (Reciprocal): operator not supported',
                   'mod (Mod): operator not supported',
                   'int64_constant_of_shape (ConstantOfShape): value is INT64',
                   'idx (graph output): INT64 graph output']:
        assert expect in text, f'{expect!r} not reported; got:\n{text}'


def test_custom_ops_need_a_plugin():
    node = helper.make_node('TRTBatchedNMS', ['x'], ['y'], domain='mmdeploy', name='nms')
    graph = helper.make_graph(
        [node], 'g', [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info('y', TensorProto.FLOAT, [1])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 11),
                                                    helper.make_opsetid('mmdeploy', 1)])
    assert 'needs a TensorRT plugin' in str(check_trt(model)[0])
    assert check_trt(model, allowed_custom_ops={'TRTBatchedNMS'}) == []


def test_table_matches_the_8_2_reference():
    # spot checks against onnx-tensorrt 8.2-GA docs/operators.md
    assert {'Mod', 'Reciprocal', 'NonZero', 'RoiAlign'} <= TRT82_UNSUPPORTED
    assert TRT82_SUPPORTED['TopK'] == ('FP32', 'FP16')
    assert TRT82_SUPPORTED['ConstantOfShape'] == ('FP32', )
    assert not set(TRT82_SUPPORTED) & TRT82_UNSUPPORTED


def test_cli_exit_code(tmp_path, monkeypatch, capsys):
    path = str(tmp_path / 'bad.onnx')
    onnx.save(bad_graph(), path)
    with pytest.raises(SystemExit) as exc:
        tool_main('check_trt', [path], monkeypatch)
    assert exc.value.code == 1 and 'VIOLATION reciprocal (Reciprocal)' in capsys.readouterr().out


def test_explicit_quantization_rules():
    """Q/DQ as TensorRT 8.2 takes them: constant scales, INT8 zero points equal to 0, per-channel
    scales on weights only, no INT32 (bias) dequantization; a weight reaching its Conv through
    Q/DQ counts as constant. Each broken rule is reported on its node."""
    f = TensorProto.FLOAT
    x = helper.make_tensor_value_info('x', f, [1, 4, 8, 8])
    y = helper.make_tensor_value_info('y', f, [1, 4, 8, 8])
    s = helper.make_tensor_value_info('s', f, [])
    bias_out = helper.make_tensor_value_info('b', f, [4])
    inits = [numpy_helper.from_array(np.float32(0.1), 'scale'),
             numpy_helper.from_array(np.int8(0), 'zero'),
             numpy_helper.from_array(np.int8(3), 'zero_nonzero'),
             numpy_helper.from_array(np.uint8(128), 'zero_uint8'),
             numpy_helper.from_array(np.full(4, 0.1, np.float32), 'wscale'),
             numpy_helper.from_array(np.zeros(4, np.int8), 'wzero'),
             numpy_helper.from_array(np.ones((4, 4, 1, 1), np.float32), 'w'),
             numpy_helper.from_array(np.ones(4, np.int32), 'bias_q')]
    nodes = [
        helper.make_node('QuantizeLinear', ['x', 'scale', 'zero'], ['xq'], name='q_ok'),
        helper.make_node('DequantizeLinear', ['xq', 'scale', 'zero'], ['xd'], name='dq_ok'),
        helper.make_node('QuantizeLinear', ['w', 'wscale', 'wzero'], ['wq'], axis=0,
                         name='wq_per_channel_ok'),
        helper.make_node('DequantizeLinear', ['wq', 'wscale', 'wzero'], ['wd'], axis=0,
                         name='wdq_ok'),
        helper.make_node('Conv', ['xd', 'wd'], ['c'], name='conv_qdq_weight_ok'),
        helper.make_node('QuantizeLinear', ['c', 's', 'zero'], ['cq'], name='q_dynamic_scale'),
        helper.make_node('QuantizeLinear', ['c', 'scale', 'zero_nonzero'], ['cq2'],
                         name='q_nonzero_zero_point'),
        helper.make_node('QuantizeLinear', ['c', 'scale', 'zero_uint8'], ['cq3'],
                         name='q_uint8'),
        helper.make_node('QuantizeLinear', ['c', 'wscale', 'wzero'], ['cq4'], axis=1,
                         name='q_per_channel_activation'),
        helper.make_node('DequantizeLinear', ['cq4', 'wscale', 'wzero'], ['y'], axis=1,
                         name='dq_per_channel_activation'),
        helper.make_node('DequantizeLinear', ['bias_q', 'wscale'], ['b'], axis=0,
                         name='dq_int32_bias'),
    ]
    graph = helper.make_graph(nodes, 'g', [x, s], [y, bias_out], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)])
    found = {(v.node, v.message.split(':')[0].split(' (')[0]) for v in check_trt(model)}
    by_node = {}
    for node, message in found:
        by_node.setdefault(node, []).append(message)
    assert not {'q_ok', 'dq_ok', 'wq_per_channel_ok', 'wdq_ok', 'conv_qdq_weight_ok'} & set(
        by_node)
    assert by_node['q_dynamic_scale'] == ['the scale must be a constant']
    assert by_node['q_nonzero_zero_point'] == ['zero point INT8 must be INT8 zeros']
    assert by_node['q_uint8'] == ['zero point UINT8 must be INT8 zeros']
    assert by_node['q_per_channel_activation'] == ['per-channel scales on an activation']
    assert by_node['dq_per_channel_activation'] == ['per-channel scales on an activation']
    assert any('INT32 dequantization' in m for m in by_node['dq_int32_bias'])
