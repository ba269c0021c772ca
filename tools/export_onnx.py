"""Export a trained detector to an end-to-end ONNX file for onnxruntime / TensorRT 8.2.

    python tools/export_onnx.py CONFIG CHECKPOINT --shape 320 576 --out model.onnx [--fp16]
        [--opset 13]

Static shape, opset 11 (or 13), normalisation inside; the classes, input shape, precision and
config are recorded in the file's metadata. Input ``input [1, 3, H, W]`` float32 raw BGR
pixels (as cv2 reads them) resized to H x W; outputs ``dets [1, K, 5]`` (x1, y1, x2, y2, score
in input pixels) and ``labels [1, K]`` int32. Export a distillation run's checkpoint with the
plain student config. The file is checked against TensorRT 8.2's parser (tools/check_trt.py).
``<stem>.deploy.json`` beside it describes its pre- and post-processing for the device-side
evaluator ``tools/jetson/evaluate_engine.py``; the tool prints the Jetson TX2 recipe (copy,
``trtexec --fp16``, evaluate).
"""

import argparse
import os.path as osp
import sys
from typing import List, Optional

import mmdet_lite  # noqa: F401
from mmdet_lite.export import ExportError, export_onnx
from mmdet_lite.export.deploy_info import info_path, tx2_recipe
from mmdet_lite.export.trt_checker import check_trt
from mmdet_lite.utils.output_paths import refuse_overwriting_input


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--shape', type=int, nargs=2, required=True, metavar=('H', 'W'))
    parser.add_argument('--out', required=True, help='output .onnx path')
    parser.add_argument('--fp16', action='store_true',
                        help='half-precision weights and compute (float32 inputs/outputs)')
    parser.add_argument('--opset', type=int, default=11, choices=(11, 13),
                        help='ONNX opset (11: what TensorRT 8.2 parses best; 13: per-channel Q/DQ)')
    args = parser.parse_args(argv)
    refuse_overwriting_input(args.out, args.config, args.checkpoint)
    try:
        out = export_onnx(args.config, args.checkpoint, tuple(args.shape), args.out,
                          fp16=args.fp16, opset=args.opset)
    except ExportError as err:
        sys.exit(f'export_onnx: {err}')
    size = osp.getsize(out) / 2 ** 20
    violations = check_trt(out)
    print(f'wrote {out} ({size:.2f} MB); TensorRT 8.2 parser check: '
          + ('pass' if not violations else f'{len(violations)} violations'))
    for v in violations:
        print(f'  {v}')
    info = info_path(out)
    print(f'wrote {info} (pre/post-processing for tools/jetson/evaluate_engine.py)')
    print(tx2_recipe(out, info))


if __name__ == '__main__':
    main()
