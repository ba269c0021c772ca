"""Post-training static INT8 quantization of an exported detector (QDQ, TensorRT-ready).

    python tools/quantize_onnx.py CONFIG MODEL.onnx --calib 64 --out MODEL_int8.onnx
        [--target onnxruntime|tensorrt] [--method minmax|percentile|entropy]
        [--quantize-outputs] [--per-tensor]

Calibrates on ``--calib`` images of the config's training split, evenly spaced, through the
config's test pipeline (what the deployed model sees). Writes a QDQ file at opset 13 with
per-channel int8 weights, only the network (backbone, neck, head) quantized and decoding / NMS
float. ``--target onnxruntime`` (default): uint8 asymmetric activations, fully fused into integer
convolutions on a CPU. ``--target tensorrt``: symmetric int8 with float biases, TensorRT's
explicit quantization for Xavier / Orin (a TX2 has no fast INT8: use an FP16 engine there; the
tool says so); checked against TensorRT 8.2's parser (it runs in onnxruntime as well, without the
CPU speed-up). See ``mmdet_lite/export/quantize.py`` for why each. Evaluate the file
with ``tools/test_deployed.py CONFIG MODEL_int8.onnx --compare CHECKPOINT``.
"""

import argparse
import os.path as osp
import sys
from typing import List, Optional

import mmdet_lite  # noqa: F401
from mmdet_lite.export import ExportError
from mmdet_lite.export.deploy_info import build_deploy_info, write_deploy_info
from mmdet_lite.export.deployed_eval import calibration_images, raw_pad_value
from mmdet_lite.export.export_onnx import dataset_classes
from mmdet_lite.export.onnx_detector import OnnxDetector
from mmdet_lite.export.quantize import CALIBRATION_METHODS, TARGETS, quantize_detector
from mmdet_lite.export.trt_checker import check_trt
from mmdet_lite.utils.output_paths import refuse_overwriting_input

TX2_INT8_WARNING = (
    'WARNING: a Jetson TX2 (Pascal, sm_62) has no fast INT8: TensorRT builds nothing faster from '
    'this file there than fp16. For a TX2 build an FP16 engine from the fp32 file '
    '(trtexec --onnx=MODEL.onnx --fp16); this INT8 file is for Xavier / Orin (sm_72 / sm_87: '
    'trtexec --onnx=MODEL_int8.onnx --int8 --fp16, no calibration cache needed).')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('config', help='the config the model was trained (and exported) with')
    parser.add_argument('model', help='the fp32 end-to-end ONNX file (tools/export_onnx.py)')
    parser.add_argument('--out', required=True, help='the int8 ONNX file to write')
    parser.add_argument('--calib', type=int, default=64,
                        help='number of training images to calibrate on (default 64)')
    parser.add_argument('--target', choices=TARGETS, default='onnxruntime',
                        help='onnxruntime: fast on CPUs; tensorrt: explicit quantization')
    parser.add_argument('--method', choices=CALIBRATION_METHODS, default='minmax',
                        help='activation range calibration (default minmax)')
    parser.add_argument('--quantize-outputs', action='store_true',
                        help="quantize the head's output layers (scores, boxes) too; by "
                        'default they stay float')
    parser.add_argument('--per-tensor', action='store_true',
                        help='one scale per weight tensor instead of per output channel')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from mmdet_lite.utils.config_paths import resolve_config_path
    refuse_overwriting_input(args.out, args.config, args.model)
    if args.calib < 1:
        sys.exit('quantize_onnx: --calib must be at least 1')
    cfg = Config.fromfile(resolve_config_path(args.config))
    init_default_scope(cfg.get('default_scope', 'mmdet'))
    try:
        det = OnnxDetector(args.model)
        det.check_fits(dataset_classes(cfg), None, args.config)
        images = calibration_images(cfg, args.calib, det.input_shape,
                                    raw_pad_value(cfg.model.get('data_preprocessor', {})))
        summary = quantize_detector(args.model, args.out, images, target=args.target,
                                    method=args.method,
                                    per_channel=not args.per_tensor,
                                    keep_float_outputs=not args.quantize_outputs)
        OnnxDetector(args.out)  # onnxruntime loads it
    except ExportError as err:
        sys.exit(f'quantize_onnx: {err}')
    size = osp.getsize(args.out) / 2 ** 20
    print(f'wrote {args.out} ({size:.2f} MB, for {args.target}): {summary["quantized_nodes"]} '
          f'network nodes quantized, {summary["float_network_nodes"]} kept float, calibrated '
          f'on {summary["calibration_images"]} images')
    info = write_deploy_info(build_deploy_info(
        cfg, args.config, args.out, dataset_classes(cfg), det.input_shape, 'int8',
        f'tools/quantize_onnx.py --target {args.target}', normalize_in_graph=True), args.out)
    print(f'wrote {info}')
    if args.target != 'tensorrt':
        return 0
    print(TX2_INT8_WARNING)
    violations = check_trt(args.out)
    print('TensorRT 8.2 parser check: '
          + ('pass' if not violations else f'{len(violations)} violations'))
    for v in violations:
        print(f'  {v}')
    return 1 if violations else 0


if __name__ == '__main__':
    sys.exit(main())
