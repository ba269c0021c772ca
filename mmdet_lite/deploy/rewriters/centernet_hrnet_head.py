"""mmdeploy rewriter of :class:`CenterNetHRNetHead` decoding, TensorRT-8.2 parsable."""

from typing import List

from mmdeploy.core import FUNCTION_REWRITER
from mmdeploy.utils import is_dynamic_shape
from torch import Tensor

from mmdet_lite.export.centernet_end2end import decode_centernet

REWRITTEN = 'mmdet_lite.models.dense_heads.centernet_hrnet_head.CenterNetHRNetHead.predict_by_feat'


@FUNCTION_REWRITER.register_rewriter(REWRITTEN)
def centernet_hrnet_head__predict_by_feat(self,
                                          center_heatmap_preds: List[Tensor],
                                          wh_preds: List[Tensor],
                                          offset_preds: List[Tensor],
                                          batch_img_metas: List[dict],
                                          rescale: bool = True,
                                          with_nms: bool = False):
    """Return ``dets [B, K, 5]`` and ``labels [B, K]`` like mmdeploy's CenterNet rewriter, but
    decoded with :func:`decode_centernet` (mmdeploy's own rewriter for mmdet's ``CenterNetHead``
    reuses ``_decode_heatmap``, whose ``//`` and ``%`` export to ``Mod``, unsupported by
    TensorRT 8.2). Static-shape deploy configs get constant scale factors.
    """
    ctx = FUNCTION_REWRITER.get_context()
    heat, wh, offset = center_heatmap_preds[0], wh_preds[0], offset_preds[0]
    img_shape = batch_img_metas[0]['img_shape']
    static_hw = None
    if not is_dynamic_shape(ctx.cfg):
        img_shape = tuple(int(s) for s in img_shape)
        static_hw = (int(heat.shape[2]), int(heat.shape[3]))
    return decode_centernet(heat, wh, offset, img_shape, k=self.test_cfg.topk,
                            kernel=self.test_cfg.local_maximum_kernel, static_hw=static_hw)
