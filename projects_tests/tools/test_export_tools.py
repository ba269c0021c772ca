"""The latency report and the network-only export of tools/benchmark_latency.py (the export
CLI runs end to end in test_end_to_end.py)."""

import os.path as osp

import torch

from projects_tests.conftest import REPO_ROOT, load_tool


def test_latency_report(tmp_path):
    """Latencies are medians over the interleaved rounds; ratios are read round by round with
    their spread, flagged where the rounds disagree by more than 10 %."""
    tool = load_tool('benchmark_latency')

    def timings(**calls):
        out = {}
        for call, rounds in calls.items():
            out[f'{call}_rounds'] = rounds
            out[f'{call}_ms'] = sorted(rounds)[1]
        return out
    rows = [dict(key='mcn_w16', label='W16', shape=[320, 576], params_m=1.6, gmacs=5.7,
                 onnx_mb=6.2, onnx_fp16_mb=3.1, onnx_int8_mb=1.7,
                 **timings(ort_1t=[100.0, 100.0, 110.0], ort_1t_int8=[50.0, 40.0, 55.0],
                           ort_2t=[60.0] * 3, ort_2t_int8=[30.0] * 3, torch=[150.0] * 3)),
            dict(key='centernet_r18', label='R18', shape=[320, 576], params_m=14.2, gmacs=9.2,
                 onnx_mb=54.0, onnx_fp16_mb=27.0, onnx_int8_mb=14.0,
                 **timings(ort_1t=[250.0] * 3, ort_1t_int8=[100.0] * 3, ort_2t=[150.0] * 3,
                           ort_2t_int8=[75.0] * 3, torch=[300.0] * 3))]
    rate = dict(ort_1t_gmacs_per_s=57.0, ort_2t_gmacs_per_s=100.0)
    text = tool.write_report(rows, rate, str(tmp_path), rounds=3)
    # ours / peer per round: 0.40, 0.40, 0.44 (fp32 1 thread); 0.50, 0.40, 0.55 (int8)
    assert ('| W16 / R18 | 0.40x [0.40-0.44] | 0.50x [0.40-0.55] (!) | 0.40x [0.40-0.40] '
            '| 0.40x [0.40-0.40] | 0.50x [0.50-0.50] | 0.62x |') in text
    # int8 speed-up of W16, 1 thread: 2.00, 2.50, 2.00
    assert '| 100.0 / 50.0 | 2.00x [2.00-2.50] (!) |' in text
    assert '| 57.0 | 100% |' in text  # 5.7 GMACs in 100 ms = the conv-stack rate
    assert (tmp_path / 'latency.png').is_file()


def test_network_only_export_matches_pytorch(tmp_path):
    """The network-only fallback graph gives the head's raw outputs."""
    import numpy as np
    import onnxruntime as ort
    tool = load_tool('benchmark_latency')
    cfg = osp.join(REPO_ROOT, 'configs/refinedet_lite/refinedet-lite_res2netlite72_synthetic.py')
    shape = (160, 288)
    # the module and export_network_only each build the model: the same weights by seed
    torch.manual_seed(0)
    module = tool.NetworkOnly(tool.load_detector(cfg, None)[0]).eval()
    x = torch.rand(1, 3, *shape) * 255
    torch.manual_seed(0)
    out = tool.export_network_only(cfg, shape, str(tmp_path / 'rdl.onnx'))
    got = ort.InferenceSession(out, providers=['CPUExecutionProvider']).run(
        None, {'input': x.numpy()})
    with torch.no_grad():
        ref = module(x)
    assert len(got) == len(ref) == 16  # 4 levels x (ARM cls, ARM reg, ODM cls, ODM reg)
    for a, b in zip(got, ref, strict=True):
        np.testing.assert_allclose(a, b.numpy(), rtol=1e-3, atol=1e-3)
