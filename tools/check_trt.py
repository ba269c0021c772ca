"""Check an ONNX file against TensorRT 8.2's ONNX parser (Jetson TX2, JetPack 4.6).

    python tools/check_trt.py model.onnx [--trt 8.2] [--allow-plugin TRTBatchedNMS ...]

Prints each violation with its node name (opset > 13, unsupported operators or data types,
non-constant TopK K / Resize scales / Conv weights, MaxPool indices, INT64 graph outputs) and
exits 1 if there is any, 0 otherwise.
"""

import argparse
import sys

from mmdet_lite.export.trt_checker import check_trt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('onnx_file')
    parser.add_argument('--trt', default='8.2', help='TensorRT version (only 8.2 is tabulated)')
    parser.add_argument('--allow-plugin', nargs='*', default=[],
                        help='custom operators with a TensorRT plugin on the device')
    args = parser.parse_args()
    violations = check_trt(args.onnx_file, args.trt, set(args.allow_plugin))
    for v in violations:
        print(f'VIOLATION {v}')
    print(f'{args.onnx_file}: ' + (f'{len(violations)} violations of the TensorRT {args.trt} '
                                   'ONNX parser' if violations else
                                   f'passes the TensorRT {args.trt} ONNX parser check'))
    sys.exit(1 if violations else 0)


if __name__ == '__main__':
    main()
