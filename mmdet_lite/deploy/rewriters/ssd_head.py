"""mmdeploy rewriter of mmdet's ``SSDHead`` post-processing (the SSD students), TRT-8.2 ready."""

from typing import List, Optional

from mmdeploy.core import FUNCTION_REWRITER
from torch import Tensor

from .anchor_post_process import anchor_post_process

REWRITTEN = 'mmdet.models.dense_heads.ssd_head.SSDHead.predict_by_feat'


@FUNCTION_REWRITER.register_rewriter(REWRITTEN)
def ssd_head__predict_by_feat(self,
                              cls_scores: List[Tensor],
                              bbox_preds: List[Tensor],
                              score_factors: Optional[List[Tensor]] = None,
                              batch_img_metas: Optional[List[dict]] = None,
                              cfg=None,  # noqa: ANN001
                              rescale: bool = False,
                              with_nms: bool = True):
    """``dets [1, K, 5]``, ``labels [1, K]`` (int32) with the model's test_cfg thresholds and
    mmdet's per-level top-k, as ``tools/export_onnx.py``; shadows mmdeploy's generic dense-head
    rewriter (deploy-config thresholds, int64 labels) for SSD heads."""
    return anchor_post_process(self, (cls_scores, bbox_preds), batch_img_metas,
                               FUNCTION_REWRITER.get_context().cfg)
