"""Pre- and post-processing of an mmdet_lite deployed detector, read from its deploy info.

Standalone for the Jetson side (JetPack 4.6: Python 3.6, numpy, OpenCV; no torch, no mmdet).
``<model stem>.deploy.json`` is written by the export (``mmdet_lite/export/deploy_info.py``)
beside the ONNX file; these functions reproduce the config's test pipeline from it, as mmdet and
mmcv compute it: OpenCV decode (BGR), ``Resize`` (``mmcv.imresize`` / ``mmcv.imrescale``),
``Pad``, then the data preprocessor's normalisation where the graph does not hold it, and the
padding of the batch to the input size. Both backends share them.
"""

import hashlib
import json
import os

import cv2
import numpy as np

INFO_FORMAT = 'mmdet_lite-deploy-info/1'
INFO_SUFFIX = '.deploy.json'
INTERPOLATIONS = {'nearest': cv2.INTER_NEAREST, 'bilinear': cv2.INTER_LINEAR,
                  'bicubic': cv2.INTER_CUBIC, 'area': cv2.INTER_AREA,
                  'lanczos': cv2.INTER_LANCZOS4}


class DeployError(Exception):
    """A file, an option or an output that cannot give a right result; the message says why and
    what to do."""


def find_info(model_path, info_path=None):
    """The deploy info of ``model_path``: ``info_path`` if given, else ``<stem>.deploy.json``
    beside the model (``end2end.engine`` -> ``end2end.deploy.json``)."""
    path = info_path or os.path.splitext(model_path)[0] + INFO_SUFFIX
    if not os.path.isfile(path):
        raise DeployError(
            'no deploy info {!r} for {}: copy the .deploy.json that tools/export_onnx.py '
            '(or tools/deploy.py, tools/quantize_onnx.py) wrote beside the ONNX file, or pass '
            '--info PATH.'.format(path, model_path))
    return path


def load_info(path):
    """Read and check a deploy info file."""
    try:
        with open(path) as f:
            info = json.load(f)
    except ValueError as err:
        raise DeployError('{} is not JSON: {}'.format(path, err)) from err
    if not isinstance(info, dict) or info.get('format') != INFO_FORMAT:
        raise DeployError('{} is not a deploy info file (format {!r} expected); export the model '
                          'with tools/export_onnx.py.'.format(path, INFO_FORMAT))
    for key in ('classes', 'input', 'preprocess', 'outputs', 'model_sha256', 'model_file'):
        if key not in info:
            raise DeployError('{} has no {!r}; export the model again.'.format(path, key))
    return info


def sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def check_model_file(info, model_path, info_path):
    """An ONNX file must be the one the info describes (its SHA-256); an engine cannot be
    checked that way, so its bindings are checked by the backend."""
    if model_path.endswith('.onnx') and sha256(model_path) != info['model_sha256']:
        raise DeployError(
            '{} describes {} (SHA-256 {}...), not {}: use the .deploy.json written with this '
            'file.'.format(info_path, info['model_file'], info['model_sha256'][:12], model_path))


def read_image(path):
    """BGR uint8 as mmcv's loader decodes it (``cv2.imdecode``, ``IMREAD_COLOR``)."""
    data = np.fromfile(path, dtype=np.uint8) if os.path.isfile(path) else None
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data is not None and data.size else None
    if image is None:
        raise DeployError('image {} is missing or not decodable'.format(path))
    return image


def resize(image, step):
    """``mmcv.imresize`` (``keep_ratio`` false) or ``mmcv.imrescale``; returns the image and the
    scale factor ``(sx, sy)`` = new size / old size, as mmdet's ``Resize``."""
    h, w = image.shape[:2]
    scale = step['scale']
    if step.get('keep_ratio', False):
        factor = min(max(scale) / max(h, w), min(scale) / min(h, w))
        size = (int(w * float(factor) + 0.5), int(h * float(factor) + 0.5))
    else:
        size = (int(scale[0]), int(scale[1]))
    interp = INTERPOLATIONS[step.get('interpolation', 'bilinear')]
    out = cv2.resize(image, size, interpolation=interp)
    return out, (out.shape[1] / w, out.shape[0] / h)


def pad(image, step):
    """mmdet's ``Pad``: bottom and right, to ``size`` ``[W, H]`` or a multiple of
    ``size_divisor``, with ``pad_val``."""
    h, w = image.shape[:2]
    if step.get('size') is not None:
        th, tw = int(step['size'][1]), int(step['size'][0])
    else:
        div = int(step['size_divisor'])
        th, tw = int(np.ceil(h / div)) * div, int(np.ceil(w / div)) * div
    value = tuple(step['pad_val'])
    return cv2.copyMakeBorder(image, 0, max(th - h, 0), 0, max(tw - w, 0), cv2.BORDER_CONSTANT,
                              value=value)


def preprocess(image, info):
    """BGR uint8 image -> (``[1, 3, H, W]`` float32 input, scale factor ``(sx, sy)``)."""
    pre = info['preprocess']
    image, factor = resize(image, pre['resize'])
    if pre.get('pad'):
        image = pad(image, pre['pad'])
    x = image.astype(np.float32)
    if pre.get('to_rgb'):
        x = x[..., ::-1]
    if pre.get('mean') is not None:
        x = (x - np.asarray(pre['mean'], np.float32)) / np.asarray(pre['std'], np.float32)
    _, _, th, tw = info['input']['shape']
    h, w = x.shape[:2]
    if h > th or w > tw:
        raise DeployError('the test pipeline makes a {}x{} image, larger than the model input '
                          '{}x{}: export with a larger --shape'.format(h, w, th, tw))
    out = np.empty((th, tw, 3), np.float32)
    out[:] = np.asarray(pre['input_pad_value'], np.float32)
    out[:h, :w] = x
    return np.ascontiguousarray(out.transpose(2, 0, 1)[None]), factor


def postprocess(outputs, factor):
    """``dets [1, K, 5]``, ``labels [1, K]`` -> boxes in original-image pixels, scores, labels.

    Padding rows (score <= 0) are dropped; boxes are divided by the scale factor (mmdet's
    ``rescale=True``). Returns ``(boxes [n, 4], scores [n], labels [n], non_finite)``, where
    ``non_finite`` counts the rows with a NaN or inf score or coordinate (left out)."""
    dets = np.asarray(outputs['dets'], np.float32).reshape(-1, 5)
    labels = np.asarray(outputs['labels']).reshape(-1).astype(np.int64)
    finite = np.isfinite(dets).all(axis=1)
    non_finite = int((~finite).sum())
    keep = finite & (dets[:, 4] > 0)
    sx, sy = factor
    boxes = dets[keep, :4] / np.array([sx, sy, sx, sy], np.float32)
    return boxes, dets[keep, 4], labels[keep], non_finite


def draw(image, boxes, scores, labels, classes, score_thr, out_path):
    """Write ``image`` with the detections scoring at least ``score_thr``; returns how many."""
    canvas = image.copy()
    shown = 0
    for box, score, label in zip(boxes, scores, labels):
        if score < score_thr:
            continue
        shown += 1
        hue = int(label) * 47 % 180
        color = cv2.cvtColor(np.uint8([[[hue, 220, 255]]]), cv2.COLOR_HSV2BGR)[0, 0].tolist()
        x1, y1, x2, y2 = [int(round(float(v))) for v in box]
        cv2.rectangle(canvas, (x1, y1), (x2, y2), color, 2)
        text = '{} {:.2f}'.format(classes[int(label)], float(score))
        cv2.putText(canvas, text, (x1, max(y1 - 4, 10)), cv2.FONT_HERSHEY_SIMPLEX, 0.45, color, 1)
    if not cv2.imwrite(out_path, canvas):
        raise DeployError('could not write {} (folder missing, or not an image '
                          'extension)'.format(out_path))
    return shown
