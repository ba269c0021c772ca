"""COCO evaluation of exported ONNX detectors (fp32 / fp16 / int8) on a config's test split.

    python tools/test_deployed.py CONFIG MODEL.onnx [MORE.onnx ...] [--compare CHECKPOINT]
        [--threads N] [--max-images N] [--json OUT.json]

Runs each end-to-end file (tools/export_onnx.py, tools/quantize_onnx.py) with onnxruntime over
the config's test dataloader: the same images, resize and metric (``test_evaluator``) as
``tools/test.py``. The precision of each file is read from its metadata. ``--compare`` also runs
the PyTorch checkpoint in the same pass and prints each file's difference to it. A file exported
for other classes, another input size or from a config with another model than the config's is
refused with the fix. A file without our metadata is evaluated only with the deploy info beside
it (``<stem>.deploy.json``; tools/deploy.py writes one for mmdeploy's file, whose host-side
normalisation it describes).
"""

import argparse
import json
import os.path as osp
import sys
from typing import Dict, List, Optional, Tuple

import mmdet_lite  # noqa: F401
from mmdet_lite.export import ExportError, load_detector
from mmdet_lite.export.deploy_info import info_path, model_fingerprint, read_deploy_info
from mmdet_lite.export.deployed_eval import (
    evaluate_models,
    onnx_predictor,
    pytorch_predictor,
    raw_pad_value,
    test_pipeline_shape,
)
from mmdet_lite.export.export_onnx import dataset_classes
from mmdet_lite.export.onnx_detector import OnnxDetector
from mmdet_lite.utils.output_paths import refuse_overwriting_input


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('config', help='the config the model was trained (and exported) with')
    parser.add_argument('models', nargs='+', help='end-to-end ONNX files')
    parser.add_argument('--compare', metavar='CHECKPOINT',
                        help='also evaluate this PyTorch checkpoint and show the differences')
    parser.add_argument('--threads', type=int, default=None,
                        help='onnxruntime intra-op threads (default: all cores)')
    parser.add_argument('--max-images', type=int, default=None,
                        help='evaluate the first N test images only (a quick check)')
    parser.add_argument('--json', help='also write the metrics to this file')
    return parser.parse_args(argv)


def open_deployed(path: str, threads: Optional[int]) -> Tuple[OnnxDetector, Optional[dict]]:
    """The file and, from its deploy info, the pre-processing left to the host (None when the
    graph normalises). A file with neither our metadata nor a deploy info (mmdeploy's
    ``end2end.onnx`` without one, or another tool's) is refused: its input is unknown."""
    det = OnnxDetector(path, threads=threads)
    info = read_deploy_info(path)
    if det.classes is None and info is None:
        raise ExportError(
            f'{path} carries no mmdet_lite metadata and has no {osp.basename(info_path(path))} '
            'beside it, so its pre-processing is unknown (mmdeploy\'s end2end.onnx takes '
            'normalised RGB, ours raw BGR). Export it with tools/export_onnx.py, or with '
            'tools/deploy.py, which writes the deploy info that describes it.')
    if info is not None:
        det.classes = det.classes or tuple(info['classes'])
        det.config = det.config or info.get('config')
        det.model = det.model or info.get('model_fingerprint')
        det.precision = det.precision or info.get('precision')
    host = info['preprocess'] if info and info['preprocess'].get('mean') is not None else None
    return det, host


def metric_rows(classes: List[str]) -> List[tuple]:
    """(label, metric key) of the printed table."""
    return [('mAP', 'coco/bbox_mAP'), ('mAP@0.5', 'coco/bbox_mAP_50_unrounded'),
            *[(f'AP@0.5 {c}', f'coco/{c}_AP50') for c in classes]]


def add_unrounded_map50(metrics: Dict[str, float], classes: List[str]) -> Dict[str, float]:
    """mmdet rounds ``bbox_mAP_50`` to 3 decimals; the mean of the per-class AP@0.5 is the same
    number (COCOeval averages the classes with ground truth) unrounded."""
    per_class = [metrics.get(f'coco/{c}_AP50', float('nan')) for c in classes]
    per_class = [v for v in per_class if v == v]
    metrics['coco/bbox_mAP_50_unrounded'] = (sum(per_class) / len(per_class) if per_class
                                             else metrics.get('coco/bbox_mAP_50', float('nan')))
    return metrics


def format_table(results: Dict[str, Dict[str, float]], classes: List[str],
                 reference: Optional[str]) -> str:
    """Markdown table: a row per metric, a column per model (and its difference to
    ``reference``)."""
    names = list(results)
    header = ['metric'] + [n for n in names]
    if reference is not None:
        header += [f'{n} - pytorch' for n in names if n != reference]
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    for label, key in metric_rows(classes):
        vals = [results[n].get(key, float('nan')) for n in names]
        cells = [label] + [f'{v:.4f}' for v in vals]
        if reference is not None:
            ref = results[reference].get(key, float('nan'))
            cells += [f'{results[n].get(key, float("nan")) - ref:+.4f}' for n in names
                      if n != reference]
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from mmdet_lite.utils.config_paths import resolve_config_path
    cfg = Config.fromfile(resolve_config_path(args.config))
    init_default_scope(cfg.get('default_scope', 'mmdet'))
    classes = list(dataset_classes(cfg))
    shape = test_pipeline_shape(cfg)
    pad = raw_pad_value(cfg.model.get('data_preprocessor', {}))
    predictors = {}
    try:
        for path in args.models:
            det, host = open_deployed(path, args.threads)
            det.check_fits(classes, shape, args.config, model_fingerprint(cfg))
            name = f'{det.precision or "onnx"}:{osp.basename(path)}'
            predictors[name] = onnx_predictor(det, pad, len(classes), host)
        reference = None
        if args.compare:
            from mmengine.runner.checkpoint import _load_checkpoint

            from mmdet_lite.utils.checkpoint_fit import (
                CheckpointMismatchError,
                check_checkpoint_fits,
            )
            model, _ = load_detector(args.config, args.compare)
            try:
                check_checkpoint_fits(model, _load_checkpoint(args.compare, map_location='cpu'),
                                      args.compare, args.config, classes=classes)
            except CheckpointMismatchError as err:
                raise ExportError(str(err)) from err
            reference = f'pytorch:{osp.basename(args.compare)}'
            predictors = {reference: pytorch_predictor(model), **predictors}
    except ExportError as err:
        sys.exit(f'test_deployed: {err}')
    results = evaluate_models(cfg, predictors, max_images=args.max_images)
    results = {k: add_unrounded_map50(v, classes) for k, v in results.items()}
    print(format_table(results, classes, reference))
    if args.json:
        refuse_overwriting_input(args.json, args.config, *args.models,
                                 *([args.compare] if args.compare else []))
        with open(args.json, 'w') as f:
            json.dump(results, f, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
