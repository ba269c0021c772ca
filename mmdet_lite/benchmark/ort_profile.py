"""Where an ONNX file's CPU time goes: onnxruntime's own per-node profile, summed by operator.

Used to explain a latency figure (which operators dominate an fp32 graph, which stay float in an
int8 one) with a measurement rather than a guess.
"""

import json
import os
import tempfile
from collections import defaultdict
from typing import Dict, List, NamedTuple

from .timing import ort_session

# operators that compute in int8 in a QDQ graph once onnxruntime has fused the Q/DQ pairs around
# them; everything else in an int8 file (decoding, top-k, NMS, activations it could not fuse)
# runs in float, and the Q/DQ nodes that remain are the conversions between the two
INT8_OPS = frozenset({'QLinearConv', 'QLinearMatMul', 'QLinearAdd', 'QLinearMul',
                      'QLinearSigmoid', 'QLinearLeakyRelu', 'QLinearConcat',
                      'QLinearGlobalAveragePool', 'QLinearAveragePool', 'QLinearSoftmax',
                      'ConvInteger', 'MatMulInteger', 'MatMulIntegerToFloat',
                      'QGemm', 'NhwcQLinearConv', 'QLinearWhere'})
CONVERSION_OPS = frozenset({'QuantizeLinear', 'DequantizeLinear'})


class OpTime(NamedTuple):
    """Mean time per run of one operator type (all its nodes) and its share of the node time."""
    op_type: str
    ms: float
    share: float
    nodes: int


def profile_op_types(path: str, threads: int = 1, runs: int = 10,
                     warmup: int = 3) -> List[OpTime]:
    """Run ``path`` (static input shapes, float inputs) ``warmup + runs`` times under
    onnxruntime's profiler and return its operator types by time per run, largest first.
    Only the timed runs count; the profile file is written to a temporary folder and removed."""
    import numpy as np
    if runs < 1:
        raise ValueError(f'runs must be >= 1, got {runs}')
    with tempfile.TemporaryDirectory() as tmp:
        sess = ort_session(path, threads, profile_prefix=os.path.join(tmp, 'ort'))
        rng = np.random.default_rng(0)
        feeds = {i.name: rng.uniform(0, 255, i.shape).astype(np.float32)
                 for i in sess.get_inputs()}
        for _ in range(warmup + runs):
            sess.run(None, feeds)
        with open(sess.end_profiling()) as f:
            events = json.load(f)
    # the warm-up runs are in the profile too: keep the node events from the first timed run on
    starts = sorted(ev['ts'] for ev in events if ev.get('name') == 'model_run')
    if len(starts) != warmup + runs:
        raise RuntimeError(f'onnxruntime profile of {path}: expected {warmup + runs} runs, '
                           f'found {len(starts)}')
    first = starts[warmup]
    total, nodes = defaultdict(float), defaultdict(set)
    for ev in events:
        if (ev.get('cat') != 'Node' or not ev.get('name', '').endswith('_kernel_time')
                or ev['ts'] < first):
            continue
        op = ev.get('args', {}).get('op_name', '?')
        total[op] += ev['dur'] / 1e3
        nodes[op].add(ev['name'])
    all_ms = sum(total.values()) or 1.0
    out = [OpTime(op, ms / runs, ms / all_ms, len(nodes[op])) for op, ms in total.items()]
    return sorted(out, key=lambda t: -t.ms)


def int8_share(times: List[OpTime]) -> Dict[str, float]:
    """Shares of the node time of an int8 file spent in int8 kernels, in Q/DQ conversions and
    in float operators."""
    int8 = sum(t.share for t in times if t.op_type in INT8_OPS)
    conv = sum(t.share for t in times if t.op_type in CONVERSION_OPS)
    return dict(int8=int8, conversion=conv, float=max(0.0, 1.0 - int8 - conv))


def format_top(times: List[OpTime], k: int = 5) -> str:
    """``Conv 12.3 ms (61 %), ...``: the ``k`` largest operator types."""
    return ', '.join(f'{t.op_type} {t.ms:.1f} ms ({100 * t.share:.0f} %)' for t in times[:k])


__all__ = ['CONVERSION_OPS', 'INT8_OPS', 'OpTime', 'format_top', 'int8_share',
           'profile_op_types']
