"""COCO evaluation of exported ONNX detectors over a config's test split, as ``tools/test.py``.

The same dataloader (images, annotations, the test pipeline's resize) and the same metric
(``cfg.test_evaluator``) as ``tools/test.py``; only the model differs. Several models (the ONNX
files of one checkpoint at different precisions, and the PyTorch checkpoint itself) are run in
one pass over the data, each with its own evaluator, so their tables compare like for like.
"""

from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import numpy as np
import torch
from mmengine.config import Config

from .head_family import ExportError
from .onnx_detector import OnnxDetector

# a model: (inputs [3, H, W] uint8 tensors, data samples) -> data samples with pred_instances
Predictor = Callable[[List[torch.Tensor], list], list]


def test_pipeline_shape(cfg: Config) -> Optional[Tuple[int, int]]:
    """``(H, W)`` every test image is resized to (a ``Resize`` with ``keep_ratio=False``), or
    None when the pipeline keeps aspect ratios."""
    for step in cfg.test_dataloader.dataset.get('pipeline', []):
        if step.get('type', '').endswith('Resize') and 'scale' in step:
            if step.get('keep_ratio', False):
                return None
            w, h = step['scale']
            return int(h), int(w)
    return None


def pad_to(image: np.ndarray, shape: Tuple[int, int], fill: np.ndarray) -> np.ndarray:
    """Pad ``image [3, h, w]`` at the bottom and right to ``shape`` with the per-channel
    ``fill`` (the raw pixel that the data preprocessor's normalisation maps to its pad value 0,
    i.e. the mean), as ``DetDataPreprocessor`` pads a smaller image of a batch."""
    h, w = image.shape[-2:]
    if (h, w) == tuple(shape):
        return image
    if h > shape[0] or w > shape[1]:
        raise ExportError(f'a test image of {h}x{w} is larger than the model input '
                          f'{shape[0]}x{shape[1]}; export with a larger --shape')
    out = np.empty((3, *shape), dtype=np.float32)
    out[:] = np.asarray(fill, dtype=np.float32).reshape(3, 1, 1)
    out[:, :h, :w] = image
    return out


def host_normalise(image: np.ndarray, host: Optional[dict]) -> np.ndarray:
    """The normalisation a deploy info leaves to the host (mmdeploy's files): channel order,
    then ``(x - mean) / std`` on a ``[3, H, W]`` image; unchanged for ``host`` None."""
    if not host or host.get('mean') is None:
        return image
    if host.get('to_rgb'):
        image = image[::-1]
    mean = np.asarray(host['mean'], np.float32).reshape(3, 1, 1)
    std = np.asarray(host['std'], np.float32).reshape(3, 1, 1)
    return (image - mean) / std


def onnx_predictor(detector: OnnxDetector, pad_value: Sequence[float],
                   num_classes: int, host: Optional[dict] = None) -> Predictor:
    """Wrap an :class:`OnnxDetector` as a predictor: boxes back to the original image's
    pixels (divided by the pipeline's ``scale_factor``, as mmdet's ``rescale=True``). A label
    outside ``num_classes`` (a file without our metadata, trained on other classes) stops it.
    ``host``: a deploy info's ``preprocess`` for a file that takes the normalised tensor
    (mmdeploy's); the padding then takes its ``input_pad_value``."""
    from mmengine.structures import InstanceData
    if host and host.get('mean') is not None:
        pad_value = host['input_pad_value']
    fill = np.asarray(pad_value, dtype=np.float32)

    def predict(inputs: List[torch.Tensor], samples: list) -> list:
        for image, sample in zip(inputs, samples, strict=True):
            image = host_normalise(image.numpy().astype(np.float32), host)
            boxes, scores, labels = detector(pad_to(image, detector.input_shape, fill))
            if len(labels) and (labels.max() >= num_classes or labels.min() < 0):
                raise ExportError(f'{detector.path} predicts label {labels.max()}, outside the '
                                  f"config's {num_classes} classes: pass the config the model "
                                  'was trained with.')
            sx, sy = sample.metainfo.get('scale_factor', (1.0, 1.0))
            pred = InstanceData()
            pred.bboxes = torch.from_numpy(boxes / np.array([sx, sy, sx, sy], np.float32))
            pred.scores = torch.from_numpy(scores)
            pred.labels = torch.from_numpy(labels)
            sample.pred_instances = pred
        return samples

    return predict


def pytorch_predictor(model: torch.nn.Module) -> Predictor:
    """A PyTorch detector as a predictor (its own data preprocessor, ``test_step``)."""

    def predict(inputs: List[torch.Tensor], samples: list) -> list:
        with torch.no_grad():
            return model.test_step(dict(inputs=inputs, data_samples=samples))

    return predict


def raw_pad_value(data_preprocessor: dict) -> List[float]:
    """The raw input pixel (in the loaded BGR order) that normalises to the preprocessor's
    ``pad_value`` (default 0): ``mean + pad_value * std``, channels back to BGR."""
    mean = np.asarray(data_preprocessor.get('mean', (0.0, 0.0, 0.0)), dtype=np.float64)
    std = np.asarray(data_preprocessor.get('std', (1.0, 1.0, 1.0)), dtype=np.float64)
    value = mean + float(data_preprocessor.get('pad_value', 0)) * std
    if data_preprocessor.get('bgr_to_rgb', False) or data_preprocessor.get('rgb_to_bgr', False):
        value = value[::-1]
    return value.tolist()


def calibration_images(cfg: Config, num: int, shape: Tuple[int, int],
                       pad_value: Sequence[float]) -> Iterator[np.ndarray]:
    """``num`` images of ``cfg``'s training split, evenly spaced over it, through the config's
    test pipeline (the preprocessing a deployed model sees, no augmentation), as ``[3, H, W]``
    float32 raw pixels padded to ``shape``: the calibration set of int8 quantization."""
    import copy

    from mmdet.registry import DATASETS
    ds_cfg = copy.deepcopy(cfg.train_dataloader.dataset)
    while 'dataset' in ds_cfg and 'pipeline' not in ds_cfg:  # wrappers (RepeatDataset, ...)
        ds_cfg = ds_cfg.dataset
    ds_cfg.pipeline = copy.deepcopy(cfg.test_dataloader.dataset.pipeline)
    ds_cfg.test_mode = True
    dataset = DATASETS.build(ds_cfg)
    if len(dataset) == 0:
        raise ExportError('the training split of the config has no image to calibrate on')
    if num > len(dataset):
        raise ExportError(f'--calib {num} is more than the {len(dataset)} training images')
    fill = np.asarray(pad_value, np.float32)
    for i in np.linspace(0, len(dataset) - 1, num).round().astype(int):
        image = dataset[int(i)]['inputs'].numpy().astype(np.float32)
        yield pad_to(image, shape, fill)


def _batches(cfg: Config, max_images: Optional[int]) -> Tuple[object, Iterator[dict], int]:
    from mmengine.runner import Runner
    loader = Runner.build_dataloader(cfg.test_dataloader)
    total = len(loader.dataset) if max_images is None else min(max_images, len(loader.dataset))

    def gen() -> Iterator[dict]:
        seen = 0
        for data in loader:
            if seen >= total:
                return
            keep = total - seen
            data = dict(inputs=data['inputs'][:keep], data_samples=data['data_samples'][:keep])
            seen += len(data['inputs'])
            yield data

    return loader.dataset, gen(), total


def evaluate_models(cfg: Config, predictors: Dict[str, Predictor],
                    max_images: Optional[int] = None,
                    progress: bool = True) -> Dict[str, Dict[str, float]]:
    """Run every predictor over ``cfg``'s test split (the first ``max_images`` images if
    given) and return ``{name: metrics of cfg.test_evaluator}``, keys as ``tools/test.py``
    logs them (``coco/bbox_mAP_50``, and per class ``coco/<class>_AP50`` with ``classwise``).
    """
    import copy

    from mmengine.evaluator import Evaluator
    from mmengine.utils import ProgressBar
    dataset, batches, total = _batches(cfg, max_images)
    evaluators = {}
    for name in predictors:
        evaluators[name] = Evaluator(copy.deepcopy(cfg.test_evaluator))
        evaluators[name].dataset_meta = dataset.metainfo
    bar = ProgressBar(total) if progress else None
    for data in batches:
        for name, predict in predictors.items():
            samples = predict(data['inputs'], copy.deepcopy(data['data_samples']))
            evaluators[name].process(data_samples=samples, data_batch=data)
        if bar is not None:
            for _ in data['inputs']:
                bar.update()
    if bar is not None:
        print()
    return {name: ev.evaluate(total) for name, ev in evaluators.items()}


__all__ = ['Predictor', 'calibration_images', 'evaluate_models', 'host_normalise',
           'onnx_predictor', 'pad_to',
           'pytorch_predictor', 'raw_pad_value', 'test_pipeline_shape']
