"""Shared body of the anchor-head rewriters: :class:`AnchorPostProcess` in mmdeploy's graph."""

from typing import List, Sequence, Tuple

from mmdeploy.utils import is_dynamic_shape
from torch import Tensor

from mmdet_lite.export.anchor_end2end import AnchorPostProcess
from mmdet_lite.export.head_family import head_family


def anchor_post_process(head, outs: Sequence[List[Tensor]],  # noqa: ANN001 - a dense head
                        batch_img_metas: List[dict], deploy_cfg) -> Tuple[Tensor, Tensor]:  # noqa: ANN001
    """``dets [1, K, 5]``, ``labels [1, K]`` exactly as our own export computes them: the head's
    family decodes ``predict_by_feat``'s inputs ``outs`` (e.g. RefineDetLite's ODM boxes on the
    ARM-refined anchors, ``models.utils.decode_odm_on_arm``).

    The anchors are constants of the feature-map sizes, so only static-shape deploy configs
    (batch 1) are supported; a dynamic one is refused with the configs to use instead.
    ``deploy_cfg`` is the rewriter context's config (``FUNCTION_REWRITER.get_context().cfg``,
    which only the registered rewriter itself can fetch).
    """
    if is_dynamic_shape(deploy_cfg) or outs[0][0].shape[0] != 1:
        raise NotImplementedError(
            f'{type(head).__name__} exports through mmdeploy with static-shape, batch-1 deploy '
            'configs only (configs/deploy/detection_onnxruntime_static.py, '
            'detection_tensorrt-fp16_static-320x320.py): its anchors and NMS are constants of '
            'the input size.')
    sizes = [tuple(int(s) for s in p.shape[-2:]) for p in outs[0]]
    img_shape = tuple(int(s) for s in batch_img_metas[0]['img_shape'][:2])
    family = head_family(head)
    return AnchorPostProcess(head, sizes, img_shape, family)(family.from_predict_inputs(outs))


__all__ = ['anchor_post_process']
