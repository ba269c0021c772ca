"""The graph clean-ups our own exporter applies, for files written by mmdeploy's torch2onnx."""

import onnx

from mmdet_lite.export.export_onnx import freeze_node_inputs, inline_initializer_identities


def make_trt_ready(path: str, static: bool) -> str:
    """Rewrite ``path`` in place so TensorRT 8.2's parser takes it: convs read initializers
    directly (not through ``Identity``) and, for a static input shape, every ``Resize`` has
    constant ``sizes`` (``LitePAN`` and other size-matched upsampling compute them) and every
    ``TopK`` a constant ``k`` (mmdeploy's ``topk`` rewriter computes it from shapes)."""
    model = inline_initializer_identities(onnx.load(path))
    if static:
        model = freeze_node_inputs(model, {'Resize': 3, 'TopK': 1})
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return path


__all__ = ['make_trt_ready']
