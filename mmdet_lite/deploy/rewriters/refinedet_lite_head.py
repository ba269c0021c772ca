"""mmdeploy rewriter of :class:`RefineDetLiteHead` post-processing, TensorRT-8.2 parsable."""

from typing import List, Optional

from mmdeploy.core import FUNCTION_REWRITER
from torch import Tensor

from .anchor_post_process import anchor_post_process

REWRITTEN = 'mmdet_lite.models.dense_heads.refinedet_lite_head.RefineDetLiteHead.predict_by_feat'


@FUNCTION_REWRITER.register_rewriter(REWRITTEN)
def refinedet_lite_head__predict_by_feat(self,
                                         arm_cls_scores: List[Tensor],
                                         arm_bbox_preds: List[Tensor],
                                         odm_cls_scores: List[Tensor],
                                         odm_bbox_preds: List[Tensor],
                                         batch_img_metas: Optional[List[dict]] = None,
                                         cfg=None,  # noqa: ANN001
                                         rescale: bool = False,
                                         with_nms: bool = True):
    """``dets [1, K, 5]``, ``labels [1, K]``: ODM boxes on the ARM-refined anchors, filtered
    anchors zeroed, class-wise ONNX NMS; the same graph as ``tools/export_onnx.py`` (mmdeploy
    has no RefineDet head; soft-NMS configs export with hard NMS at the same IoU)."""
    return anchor_post_process(
        self, (arm_cls_scores, arm_bbox_preds, odm_cls_scores, odm_bbox_preds), batch_img_metas,
        FUNCTION_REWRITER.get_context().cfg)
