"""A detector's network alone as ONNX: raw pixels in, the head's raw outputs out.

No decoding and no NMS: what a latency comparison times where a family (e.g. an mmdet peer's)
has no end-to-end export here, so that ours and the peer are timed like for like
(``tools/benchmark_latency.py``). The file is written as ``export_onnx`` writes its graphs
(:func:`~mmdet_lite.export.export_onnx.trace_onnx`), without metadata or deploy info: it is
not a deployable detector.
"""

from typing import Optional, Tuple

import onnx
import torch
import torch.nn as nn

from .export_onnx import load_detector, trace_onnx
from .input_normalizer import InputNormalizer


class NetworkOnly(nn.Module):
    """Raw pixels in, the head's raw outputs out (flattened): normalisation inside, no decoding,
    no NMS."""

    def __init__(self, detector: nn.Module) -> None:
        super().__init__()
        self.detector = detector.eval()
        self.normalize = InputNormalizer(detector.data_preprocessor)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        # the head through its own call (mmdet's _forward calls head.forward), so that its nodes
        # sit in the /bbox_head/ ONNX scope that the int8 quantizer selects
        outs = self.detector.bbox_head(self.detector.extract_feat(self.normalize(x)))
        flat = []
        for o in outs:
            flat.extend(o if isinstance(o, (list, tuple)) else [o])
        return tuple(flat)


def export_network_only(config: str, shape: Tuple[int, int], out: str, fp16: bool = False,
                        checkpoint: Optional[str] = None, opset: int = 11) -> str:
    """Write ``config``'s network (``checkpoint``'s weights, else its own initialisation) for a
    static ``[1, 3, H, W]`` input to ``out``; return it."""
    detector, _ = load_detector(config, checkpoint)
    onnx.save(trace_onnx(NetworkOnly(detector).eval(), shape, out, opset=opset, fp16=fp16), out)
    return out


__all__ = ['NetworkOnly', 'export_network_only']
