"""mmdeploy rewriter of :class:`GFLv2Head` post-processing, TensorRT-8.2 parsable."""

from typing import List, Optional

from mmdeploy.core import FUNCTION_REWRITER
from torch import Tensor

from .anchor_post_process import anchor_post_process

REWRITTEN = 'mmdet_lite.models.dense_heads.gflv2_head.GFLv2Head.predict_by_feat'


@FUNCTION_REWRITER.register_rewriter(REWRITTEN)
def gflv2_head__predict_by_feat(self,
                                cls_scores: List[Tensor],
                                bbox_preds: List[Tensor],
                                score_factors: Optional[List[Tensor]] = None,
                                batch_img_metas: Optional[List[dict]] = None,
                                cfg=None,  # noqa: ANN001
                                rescale: bool = False,
                                with_nms: bool = True):
    """``dets [1, K, 5]``, ``labels [1, K]`` with mmdet's GFL thresholds (the model's test_cfg),
    per-level top-k and class-wise ONNX NMS, int32 labels; shadows mmdeploy's ``GFLHead``
    rewriter for GFLv2 (whose NMS settings come from the deploy config, not the model)."""
    return anchor_post_process(self, (cls_scores, bbox_preds), batch_img_metas,
        FUNCTION_REWRITER.get_context().cfg)
