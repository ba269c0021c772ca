"""The deploy-info JSON file written next to every exported ONNX file.

A deployed model cannot be run right without knowing what its input is: the resize and padding
of the config's test pipeline, whether normalisation is in the graph (our exports) or left to
the host (mmdeploy's ``end2end.onnx``), the classes in label order, and what the outputs mean.
The ONNX metadata records some of it, but a TensorRT engine built from the file by ``trtexec``
keeps none, and the device side (``tools/jetson/evaluate_engine.py``: Python 3.6, no mmdet)
must not parse configs. So each export writes ``<model stem>.deploy.json`` beside the model,
and the device tools read only that file.
"""

import hashlib
import json
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

from mmengine.config import Config

from ..utils.file_hash import file_sha256
from .head_family import ExportError

INFO_FORMAT = 'mmdet_lite-deploy-info/1'
INFO_SUFFIX = '.deploy.json'
# test-pipeline steps that do not change the image (annotations, packing)
_PASSIVE_STEPS = ('LoadAnnotations', 'PackDetInputs')
_LOADERS = ('LoadImageFromFile', 'CheckedLoadImageFromFile')
OUTPUTS = {
    'dets': '[1, K, 5] float32: x1, y1, x2, y2 in input pixels (after resize and padding), '
            'score; rows with score <= 0 are padding',
    'labels': '[1, K] integer: index into classes (int64 in ONNX, int32 in a TensorRT engine)',
}


def info_path(model_path: str) -> str:
    """``dir/end2end.onnx`` -> ``dir/end2end.deploy.json`` (also for ``.engine`` files)."""
    return osp.splitext(model_path)[0] + INFO_SUFFIX


def _without_weights_source(node: object) -> object:
    if isinstance(node, dict):
        return {k: _without_weights_source(v) for k, v in sorted(node.items())
                if k not in ('init_cfg', 'pretrained')}
    if isinstance(node, (list, tuple)):
        return [_without_weights_source(v) for v in node]
    return node


def model_fingerprint(cfg: Config) -> str:
    """A short hash of ``cfg.model`` (architecture, data preprocessor, test settings) without
    where its initial weights come from: two configs that build the same deployed model share
    it (a synthetic config and its real-data parent), others do not."""
    model = cfg.get('model', {})
    model = model.to_dict() if hasattr(model, 'to_dict') else dict(model)
    text = json.dumps(_without_weights_source(model), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _resize_step(step: dict) -> dict:
    if 'scale' not in step or step.get('scale_factor') is not None:
        raise ExportError(f'test pipeline step {step} resizes by a factor; the deploy info '
                          'describes Resize(scale=(W, H), keep_ratio=...) only.')
    scale = step['scale']
    scale = [int(scale), int(scale)] if isinstance(scale, (int, float)) else [int(s) for s in
                                                                              scale]
    return dict(scale=scale, keep_ratio=bool(step.get('keep_ratio', False)),
                interpolation=step.get('interpolation', 'bilinear'))


def _pad_step(step: dict) -> dict:
    if step.get('padding_mode', 'constant') != 'constant' or step.get('pad_to_square'):
        raise ExportError(f'test pipeline step {step}: only constant padding to a size or a '
                          'size divisor is described.')
    val = step.get('pad_val', 0)
    val = val.get('img', 0) if isinstance(val, dict) else val
    val = [float(v) for v in val] if isinstance(val, (list, tuple)) else [float(val)] * 3
    size = step.get('size')
    return dict(size=[int(s) for s in size] if size is not None else None,
                size_divisor=step.get('size_divisor'), pad_val=val)


def describe_test_pipeline(cfg: Config) -> Dict[str, Optional[dict]]:
    """``{'resize': ..., 'pad': ...}`` of ``cfg``'s test pipeline; a step that changes the image
    in another way is refused (the device side could not reproduce it)."""
    out = dict(resize=None, pad=None)
    for step in cfg.test_dataloader.dataset.get('pipeline', []):
        kind = step.get('type', '').split('.')[-1]
        if kind in _LOADERS:
            if step.get('color_type', 'color') != 'color' or step.get(
                    'imdecode_backend', 'cv2') != 'cv2':
                raise ExportError(f'test pipeline loader {step}: the device side decodes with '
                                  "OpenCV in colour (color_type='color', imdecode_backend='cv2')")
        elif kind == 'Resize' and out['resize'] is None and out['pad'] is None:
            out['resize'] = _resize_step(step)
        elif kind == 'Pad' and out['pad'] is None:
            out['pad'] = _pad_step(step)
        elif kind not in _PASSIVE_STEPS:
            raise ExportError(f"{cfg.filename}: test pipeline step {kind} is not one the deploy "
                              'info describes (a loader, one Resize, then one Pad).')
    if out['resize'] is None:
        raise ExportError(f'{cfg.filename}: the test pipeline has no Resize; a deployed model '
                          'takes a fixed input size.')
    return out


def fit_to_input(steps: Dict[str, Optional[dict]], input_shape: Tuple[int, int]) -> dict:
    """The test pipeline for a file exported at another size than it resizes to: a fixed-size
    resize (and a letterbox ``Pad`` to that size) target the file's input instead."""
    h, w = (int(s) for s in input_shape)
    resize, pad = dict(steps['resize']), steps['pad'] and dict(steps['pad'])
    old = list(resize['scale'])
    if old != [w, h] and (not resize['keep_ratio'] or (pad and pad['size'] == old)):
        resize['scale'] = [w, h]
        if pad and pad['size'] == old:
            pad['size'] = [w, h]
    return dict(resize=resize, pad=pad)


def _normalisation(data_preprocessor: dict) -> Tuple[List[float], List[float], bool, float]:
    mean = [float(v) for v in data_preprocessor.get('mean', (0.0, 0.0, 0.0))]
    std = [float(v) for v in data_preprocessor.get('std', (1.0, 1.0, 1.0))]
    to_rgb = bool(data_preprocessor.get('bgr_to_rgb', False))
    return mean, std, to_rgb, float(data_preprocessor.get('pad_value', 0))


def build_deploy_info(cfg: Config, config: str, model_path: str, classes: Sequence[str],
                      input_shape: Tuple[int, int], precision: str, exported_by: str,
                      normalize_in_graph: bool) -> dict:
    """The deploy info of ``model_path`` (already written): what the host feeds it, what it
    returns. ``normalize_in_graph``: the graph takes raw BGR pixels (our exports) rather than
    the normalised tensor of the data preprocessor (mmdeploy's)."""
    from .deployed_eval import raw_pad_value
    pre_cfg = cfg.model.get('data_preprocessor', {})
    mean, std, to_rgb, pad_value = _normalisation(pre_cfg)
    steps = fit_to_input(describe_test_pipeline(cfg), input_shape)
    host = dict(decode='OpenCV IMREAD_COLOR (BGR, uint8)', **steps)
    if normalize_in_graph:
        order = 'BGR->RGB, ' if to_rgb else ''
        host.update(to_rgb=False, mean=None, std=None, input_pad_value=raw_pad_value(pre_cfg),
                    in_graph=f'{order}(x - mean) / std, mean {mean}, std {std}')
    else:
        host.update(to_rgb=to_rgb, mean=mean, std=std, input_pad_value=[pad_value] * 3,
                    in_graph='nothing: the host normalises')
    h, w = (int(s) for s in input_shape)
    return dict(
        format=INFO_FORMAT, model_file=osp.basename(model_path),
        model_sha256=file_sha256(model_path), exported_by=exported_by, config=config,
        model_fingerprint=model_fingerprint(cfg),
        precision=precision, classes=list(classes),
        input=dict(name='input', shape=[1, 3, h, w], dtype='float32', layout='NCHW'),
        preprocess=host, outputs=dict(OUTPUTS),
        postprocess='drop rows with score <= 0; divide x by the resize scale factor sx = '
                    'resized width / original width, y by sy (as mmdet rescale=True)')


def read_deploy_info(model_path: str) -> Optional[dict]:
    """The deploy info beside ``model_path`` if it is one and describes this very file (its
    SHA-256), else None."""
    path = info_path(model_path)
    try:
        with open(path) as f:
            info = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(info, dict) or info.get('format') != INFO_FORMAT:
        return None
    return info if info.get('model_sha256') == file_sha256(model_path) else None


def write_deploy_info(info: dict, model_path: str) -> str:
    """Write ``info`` beside ``model_path`` (atomically); refuse to replace a file that is not a
    deploy info. Returns its path."""
    path = info_path(model_path)
    if osp.exists(path):
        try:
            with open(path) as f:
                ours = json.load(f).get('format') == INFO_FORMAT
        except (OSError, ValueError, AttributeError):
            ours = False
        if not ours:
            raise ExportError(f'{path} exists and is not a deploy info file of this package; '
                              'move it or export to another --out.')
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(info, f, indent=2)
        f.write('\n')
    os.replace(tmp, path)
    return path


def tx2_recipe(model_path: str, info_file: str, ann: str = 'ANN.json',
               images: str = 'IMAGES_DIR') -> str:
    """What to run on a Jetson TX2 with this file: copy, build the fp16 engine, evaluate."""
    name = osp.basename(model_path)
    stem = osp.splitext(name)[0]
    with open(info_file) as f:
        shape = 'x'.join(str(d) for d in json.load(f)['input']['shape'])
    return (
        'On the Jetson TX2 (JetPack 4.6, TensorRT 8.2; FP16 only: Pascal has no fast INT8):\n'
        f'  1. copy {model_path}, {info_file} and tools/jetson/ to the device, with the '
        'validation images and their COCO annotation file\n'
        f'  2. /usr/src/tensorrt/bin/trtexec --onnx={name} --fp16 --saveEngine={stem}.engine '
        f'--workspace=1024   # input {shape}\n'
        f'  3. python3 jetson/evaluate_engine.py {stem}.engine --ann {ann} --images {images} '
        f'--draw-out {stem}_det.jpg\n'
        f'     (it reads {osp.basename(info_file)} beside the engine; on a CPU: '
        f'python3 jetson/evaluate_engine.py {name} ...)')


__all__ = ['INFO_FORMAT', 'INFO_SUFFIX', 'OUTPUTS', 'build_deploy_info', 'describe_test_pipeline',
           'file_sha256', 'info_path', 'model_fingerprint', 'read_deploy_info', 'tx2_recipe',
           'write_deploy_info']
