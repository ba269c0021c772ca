"""mmdeploy rewriter of mmdet's ``SSDHead`` (the SSD students) and of the GFL heads' (``GFLHead``,
:class:`GFLv2Head`) post-processing, TensorRT-8.2 ready: both heads' ``predict_by_feat`` take
``(cls_scores, bbox_preds, ...)``, and their family (``export.head_family``) decodes them."""

from typing import List, Optional

from mmdeploy.core import FUNCTION_REWRITER
from torch import Tensor

from .anchor_post_process import anchor_post_process

SSD_REWRITTEN = 'mmdet.models.dense_heads.ssd_head.SSDHead.predict_by_feat'
GFL_REWRITTEN = 'mmdet.models.dense_heads.gfl_head.GFLHead.predict_by_feat'


def ssd_gfl_head__predict_by_feat(self,
                                  cls_scores: List[Tensor],
                                  bbox_preds: List[Tensor],
                                  score_factors: Optional[List[Tensor]] = None,
                                  batch_img_metas: Optional[List[dict]] = None,
                                  cfg=None,  # noqa: ANN001
                                  rescale: bool = False,
                                  with_nms: bool = True):
    """``dets [1, K, 5]``, ``labels [1, K]`` (int32) with the model's test_cfg thresholds,
    mmdet's per-level top-k and class-wise ONNX NMS, as ``tools/export_onnx.py`` (mmdeploy's
    generic rewriters take the thresholds from the deploy config and give int64 labels). GFLv2's
    output is ``logit(J)``, so the same sigmoid gives its joint score."""
    return anchor_post_process(self, (cls_scores, bbox_preds), batch_img_metas,
                               FUNCTION_REWRITER.get_context().cfg)


# SSDHead has no rewriter of its own in mmdeploy: ours, for every backend, shadows the generic
# dense-head one. mmdeploy's GFLHead rewriter is registered for every backend too, so ours is
# registered per backend, where it takes precedence.
FUNCTION_REWRITER.register_rewriter(SSD_REWRITTEN)(ssd_gfl_head__predict_by_feat)
for _backend in ('onnxruntime', 'tensorrt'):
    FUNCTION_REWRITER.register_rewriter(GFL_REWRITTEN, backend=_backend)(
        ssd_gfl_head__predict_by_feat)
