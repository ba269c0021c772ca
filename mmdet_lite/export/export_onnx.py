"""Export a trained mmdet_lite detector to an end-to-end ONNX file (static shape, opset 11)."""

import copy
import os
import os.path as osp
from typing import List, Optional, Tuple

import numpy as np
import onnx
import torch
import torch.nn as nn
from mmengine.config import Config

from ..utils.config_paths import resolve_config_path
from .deploy_info import build_deploy_info, model_fingerprint, write_deploy_info
from .head_family import ExportError, end2end_module, model_stride
from .onnx_detector import export_metadata, set_metadata


def check_shape(shape: Tuple[int, int], stride: int) -> None:
    """Refuse a shape the model cannot take, suggesting the nearest valid one."""
    bad = [s for s in shape if s <= 0 or s % stride]
    if bad:
        nearest = tuple(max(stride, int(round(s / stride)) * stride) for s in shape)
        raise ExportError(f'--shape {shape[0]} {shape[1]} (H W) is not divisible by the model '
                          f'stride {stride}; the nearest valid shape is --shape {nearest[0]} '
                          f'{nearest[1]}.')


def _load_fitting_checkpoint(model: nn.Module, cfg: Config, config: str,
                             checkpoint: str) -> None:
    """Load ``checkpoint`` strictly, after checking it fits ``model`` and was trained on the
    config's classes in the config's order (an export records that order for every label)."""
    from mmengine.runner.checkpoint import _load_checkpoint, _load_checkpoint_to_model

    from ..utils.checkpoint_fit import CheckpointMismatchError, check_checkpoint_fits
    if not osp.isfile(checkpoint):
        raise ExportError(f'Checkpoint {checkpoint!r} not found.')
    ckpt = _load_checkpoint(checkpoint, map_location='cpu')
    try:
        check_checkpoint_fits(model, ckpt, checkpoint, config, classes=dataset_classes(cfg),
                              opt_out=None)
    except CheckpointMismatchError as err:
        raise ExportError(f'{err} For a distillation run, export with the plain student '
                          'config.') from err
    _load_checkpoint_to_model(model, ckpt.get('state_dict', ckpt), strict=True)


def load_detector(config: str, checkpoint: Optional[str]) -> Tuple[nn.Module, Config]:
    """Build ``config``'s model (no pretrained downloads) and load ``checkpoint`` strictly.

    Without a checkpoint the weights are the model's own initialisation (``init_weights``, seed
    0, the global random state untouched): constructors alone leave some parameters
    uninitialised memory (mmdet's ``L2Norm`` scale of SSD), which can be NaN."""
    from mmdet.registry import MODELS
    from mmengine.registry import init_default_scope

    cfg = Config.fromfile(resolve_config_path(config))
    init_default_scope(cfg.get('default_scope', 'mmdet'))
    model_cfg = copy.deepcopy(cfg.model)  # builders update nested dicts in place
    from mmdet_lite.models.distillers import is_distiller
    if is_distiller(model_cfg.get('type')):
        raise ExportError(f'{config} is a distillation config: export the checkpoint with the '
                          'plain student config it inherits (KD checkpoints are student '
                          'checkpoints).')
    model_cfg.get('backbone', {}).pop('init_cfg', None)
    model = MODELS.build(model_cfg)
    if checkpoint is not None:
        _load_fitting_checkpoint(model, cfg, config, checkpoint)
    else:
        from mmengine.logging import MMLogger
        logger = MMLogger.get_current_instance()
        level = logger.level
        logger.setLevel('WARNING')  # not mmengine's per-parameter initialisation report
        try:
            with torch.random.fork_rng():
                torch.manual_seed(0)
                model.init_weights()
        finally:
            logger.setLevel(level)
        for m in model.modules():  # a caller's own init_weights() may re-initialise it
            if hasattr(m, '_is_init'):
                m._is_init = False
    return model.eval(), cfg


def inline_initializer_identities(model: onnx.ModelProto) -> onnx.ModelProto:
    """Point consumers of ``Identity(initializer)`` at the initializer itself.

    The TorchScript exporter de-duplicates equal weights (e.g. folded zero biases) through
    ``Identity`` nodes; TensorRT's parser then sees a Conv whose weights are not an initializer.
    """
    inits = {t.name for t in model.graph.initializer}
    outputs = {o.name for o in model.graph.output}
    alias = {}
    keep = []
    for node in model.graph.node:
        if node.op_type == 'Identity' and node.input[0] in inits and node.output[0] not in outputs:
            alias[node.output[0]] = node.input[0]
        else:
            keep.append(node)
    for node in keep:
        for k, name in enumerate(node.input):
            if name in alias:
                node.input[k] = alias[name]
    del model.graph.node[:]
    model.graph.node.extend(keep)
    return model


def freeze_resize_sizes(model: onnx.ModelProto) -> onnx.ModelProto:
    """Give every ``Resize`` of a static-shape graph constant ``sizes`` (TensorRT 8.2 needs them).

    ``F.interpolate(x, size=...)`` exports its sizes as ``Concat(Shape(x)[:2], hw)``: computed,
    though every input is static. One onnxruntime run on a zero input reads their values; they
    become initializers, and the shape ops nothing reads any more are dropped.
    """
    return freeze_node_inputs(model, {'Resize': 3})


def freeze_node_inputs(model: onnx.ModelProto, inputs: dict) -> onnx.ModelProto:
    """Replace computed int64 inputs of a static-shape graph by initializers of their values.

    ``inputs`` maps an op type to the index of its input to freeze (``{'Resize': 3}``: sizes;
    ``{'TopK': 1}``: k, which mmdeploy computes from shapes).
    """
    const = {t.name for t in model.graph.initializer}
    const |= {n.output[0] for n in model.graph.node if n.op_type == 'Constant'}
    nodes = [n for n in model.graph.node if n.op_type in inputs
             and len(n.input) > inputs[n.op_type] and n.input[inputs[n.op_type]]
             and n.input[inputs[n.op_type]] not in const]
    if not nodes:
        return model
    import onnxruntime as ort
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    names = sorted({n.input[inputs[n.op_type]] for n in nodes})
    probe.graph.output.extend(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.INT64,
                                                                 None) for name in names)
    sess = ort.InferenceSession(probe.SerializeToString(), providers=['CPUExecutionProvider'])
    feeds = {}
    for inp in sess.get_inputs():
        if any(not isinstance(d, int) for d in inp.shape):
            raise ExportError(f'freeze_node_inputs needs a static input shape, {inp.name} is '
                              f'{inp.shape}')
        feeds[inp.name] = np.zeros(inp.shape, dtype=np.float32)
    values = dict(zip(names, sess.run(names, feeds), strict=True))
    for name in names:
        model.graph.initializer.append(onnx.numpy_helper.from_array(
            values[name].astype(np.int64), name + '_frozen'))
    for node in nodes:
        k = inputs[node.op_type]
        node.input[k] = node.input[k] + '_frozen'
    needed = {o.name for o in model.graph.output}
    keep = []
    for node in reversed(model.graph.node):  # drop nodes whose outputs nothing reads any more
        if any(o in needed for o in node.output):
            keep.append(node)
            needed.update(i for i in node.input if i)
    del model.graph.node[:]
    model.graph.node.extend(reversed(keep))
    return model


def dataset_classes(cfg: Config) -> Tuple[str, ...]:
    """The classes of ``cfg``'s test dataset in label order (its ``metainfo``, else the
    dataset class's ``METAINFO``)."""
    from mmdet.registry import DATASETS

    from ..utils.checkpoint_fit import config_classes
    classes = config_classes(cfg, ('test_dataloader', ))
    if classes is None:
        dataset_cls = DATASETS.get(cfg.test_dataloader.dataset.type)
        classes = tuple(getattr(dataset_cls, 'METAINFO', {}).get('classes', ()))
    return classes


def trace_onnx(module: nn.Module, shape: Tuple[int, int], out: str, opset: int = 11,
               output_names: Optional[List[str]] = None, fp16: bool = False) -> onnx.ModelProto:
    """Trace ``module`` on a zero ``input [1, 3, H, W]`` to ``out`` and return the graph as
    TensorRT 8.2 parses it (initializer identities inlined, ``Resize`` sizes constant),
    converted to fp16 if asked; the caller adds what it records and saves it."""
    dummy = torch.zeros(1, 3, *shape, device=next(module.parameters()).device)
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(module, (dummy, ), out, opset_version=opset, dynamo=False,
                          input_names=['input'], output_names=output_names,
                          do_constant_folding=True)
    model = freeze_resize_sizes(inline_initializer_identities(onnx.load(out)))
    if fp16:
        from .fp16 import convert_to_fp16
        model = convert_to_fp16(model)
    return model


def export_onnx(config: str, checkpoint: Optional[str], shape: Tuple[int, int], out: str,
                fp16: bool = False, opset: int = 11) -> str:
    """Write ``out`` (``input [1,3,H,W]`` -> ``dets [1,K,5]``, ``labels [1,K]``); return it.

    The file records the classes, input shape, precision and config in its metadata
    (:mod:`~mmdet_lite.export.onnx_detector`), and ``<stem>.deploy.json`` beside it describes
    its pre- and post-processing for the device side (:mod:`~mmdet_lite.export.deploy_info`).
    Opset 11 is what TensorRT 8.2 parses best; 13 is
    needed for per-channel Q/DQ (``tools/quantize_onnx.py`` converts on its own).
    """
    detector, cfg = load_detector(config, checkpoint)
    check_shape(shape, model_stride(detector))
    module = end2end_module(detector, shape).eval()
    model = trace_onnx(module, shape, out, opset=opset, output_names=['dets', 'labels'],
                       fp16=fp16)
    set_metadata(model, **export_metadata(dataset_classes(cfg), shape,
                                          'fp16' if fp16 else 'fp32', config,
                                          model_fingerprint(cfg)))
    onnx.checker.check_model(model)
    onnx.save(model, out)
    write_deploy_info(build_deploy_info(
        cfg, config, out, dataset_classes(cfg), shape, 'fp16' if fp16 else 'fp32',
        'tools/export_onnx.py', normalize_in_graph=True), out)
    return out


__all__ = ['ExportError', 'check_shape', 'dataset_classes', 'end2end_module', 'export_onnx',
           'freeze_node_inputs', 'freeze_resize_sizes', 'load_detector', 'model_stride',
           'trace_onnx']
