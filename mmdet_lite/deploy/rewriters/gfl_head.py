"""mmdeploy rewriter of the GFL heads' post-processing (``GFLHead``, :class:`GFLv2Head`)."""

from typing import List, Optional

from mmdeploy.core import FUNCTION_REWRITER
from torch import Tensor

from .anchor_post_process import anchor_post_process

REWRITTEN = 'mmdet.models.dense_heads.gfl_head.GFLHead.predict_by_feat'


def gfl_head__predict_by_feat(self,
                              cls_scores: List[Tensor],
                              bbox_preds: List[Tensor],
                              score_factors: Optional[List[Tensor]] = None,
                              batch_img_metas: Optional[List[dict]] = None,
                              cfg=None,  # noqa: ANN001
                              rescale: bool = False,
                              with_nms: bool = True):
    """``dets [1, K, 5]``, ``labels [1, K]`` (int32) with the model's test_cfg thresholds,
    per-level top-k and class-wise ONNX NMS, as ``tools/export_onnx.py``. GFLv2's output is
    ``logit(J)``, so the same sigmoid gives its joint score. Registered for the onnxruntime and
    tensorrt backends, where it takes precedence over mmdeploy's backend-generic GFL rewriter
    (NMS settings from the deploy config, int64 labels)."""
    return anchor_post_process(self, (cls_scores, bbox_preds), batch_img_metas,
                               FUNCTION_REWRITER.get_context().cfg)


for _backend in ('onnxruntime', 'tensorrt'):
    FUNCTION_REWRITER.register_rewriter(REWRITTEN, backend=_backend)(gfl_head__predict_by_feat)
