"""ort_profile: onnxruntime's per-node profile summed by operator type, warm-up runs excluded."""

import numpy as np
import pytest
import torch

from mmdet_lite.benchmark.ort_profile import format_top, int8_share, profile_op_types


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    """A 2-conv float file and its QDQ int8 twin (onnxruntime's static quantizer)."""
    from onnxruntime.quantization import (
        CalibrationDataReader,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    tmp = tmp_path_factory.mktemp('prof')
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.ReLU(),
                              torch.nn.Conv2d(8, 8, 3, padding=1), torch.nn.ReLU()).eval()
    fp32, int8 = str(tmp / 'f.onnx'), str(tmp / 'q.onnx')
    torch.onnx.export(net, torch.rand(1, 3, 32, 32), fp32, opset_version=13, dynamo=False,
                      input_names=['x'])

    class Reader(CalibrationDataReader):
        def __init__(self):
            rng = np.random.default_rng(0)
            self.it = iter([{'x': rng.random((1, 3, 32, 32), dtype=np.float32)}
                            for _ in range(4)])

        def get_next(self):
            return next(self.it, None)
    quantize_static(fp32, int8, Reader(), quant_format=QuantFormat.QDQ,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
    return fp32, int8


def test_float_file_time_is_in_its_convs(files):
    times = profile_op_types(files[0], runs=3, warmup=2)
    assert abs(sum(t.share for t in times) - 1) < 1e-6
    conv = {t.op_type: t for t in times}['Conv']
    # onnxruntime fuses Conv + Relu into one node per conv: 2 nodes, most of the time
    assert conv.nodes == 2 and conv.share > 0.5 and conv.ms > 0
    assert times == sorted(times, key=lambda t: -t.ms)
    assert int8_share(times) == dict(int8=0.0, conversion=0.0, float=pytest.approx(1.0))
    assert format_top(times, 1).startswith('Conv ')


def test_int8_file_runs_qlinear_convs(files):
    times = profile_op_types(files[1], runs=3, warmup=2)
    ops = {t.op_type: t for t in times}
    assert ops['QLinearConv'].nodes == 2 and 'Conv' not in ops
    share = int8_share(times)
    assert share['int8'] >= ops['QLinearConv'].share
    assert abs(sum(share.values()) - 1) < 1e-6


def test_bad_runs_refused(files):
    with pytest.raises(ValueError, match='runs must be >= 1'):
        profile_op_types(files[0], runs=0)
