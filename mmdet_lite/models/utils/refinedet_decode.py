"""RefineDet's two-step cascaded regression at inference: ODM boxes on the ARM-refined anchors.

The one implementation of it: :class:`RefineDetLiteHead` (training's refined anchors and
``predict_by_feat``), the end-to-end ONNX export and the mmdeploy rewriter all call it, each
with its own box decoder (mmdet's ``DeltaXYWHBBoxCoder.decode`` in PyTorch, a TensorRT-8.2
parsable equivalent in the exported graphs).
"""

from typing import Callable, Tuple

import torch
from torch import Tensor

# (boxes [..., N, 4], deltas [..., N, 4]) -> boxes decoded (and clipped to the image)
BoxDecoder = Callable[[Tensor, Tensor], Tensor]


def refine_anchors(anchors: Tensor, arm_deltas: Tensor, decode: BoxDecoder) -> Tensor:
    """The anchors moved by the ARM offsets (RefineDet Sec. 3.1, first regression step).

    ``decode`` clips to the image; the refined box is then kept at least 1 px wide and high
    (``x2 >= x1 + 1``, ``y2 >= y1 + 1``), so that an anchor squeezed against the border stays a
    box the ODM offsets can be decoded on.
    """
    refined = decode(anchors, arm_deltas)
    x1y1 = refined[..., :2]
    return torch.cat([x1y1, torch.max(refined[..., 2:], x1y1 + 1)], -1)


def decode_odm_on_arm(anchors: Tensor, arm_cls: Tensor, arm_deltas: Tensor, odm_cls: Tensor,
                      odm_deltas: Tensor, decode: BoxDecoder, num_classes: int,
                      objectness_thr: float) -> Tuple[Tensor, Tensor]:
    """Boxes ``[N, 4]`` and class scores ``[N, K]`` of one image (RefineDet Sec. 3.1-3.2).

    The ODM offsets are decoded on the ARM-refined anchors (:func:`refine_anchors`); scores are
    the ODM's (K+1)-way softmax without the background column, zeroed on the anchors whose ARM
    objectness (2-way softmax, index 0 = object) is ``<= objectness_thr`` (negative anchor
    filtering). Inputs are the flattened head outputs of the image: ``anchors [N, 4]``,
    ``arm_cls [N, 2]``, ``arm_deltas [N, 4]``, ``odm_cls [N, K + 1]``, ``odm_deltas [N, 4]``.
    Only elementwise operators, ``Softmax``, ``Greater`` and ``Cast``: TensorRT 8.2 parses them.
    """
    boxes = decode(refine_anchors(anchors, arm_deltas, decode), odm_deltas)
    keep = (arm_cls.softmax(-1)[:, :1] > objectness_thr).to(odm_cls.dtype)
    scores = odm_cls.softmax(-1)[:, :num_classes] * keep
    return boxes, scores


__all__ = ['BoxDecoder', 'decode_odm_on_arm', 'refine_anchors']
