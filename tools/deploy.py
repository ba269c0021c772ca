"""Convert a trained detector with mmdeploy 1.3.1 (ONNX, and a TensorRT engine where TensorRT is).

    python tools/deploy.py DEPLOY_CFG MODEL_CFG CHECKPOINT IMG [--work-dir DIR] [--device cpu]
    python tools/deploy.py configs/deploy/detection_tensorrt-fp16_static-576x320.py \\
        configs/mobile_centernet/mcn_hrnet-w16_bdd100k.py epoch_60.pth demo.jpg --work-dir trt

Needs ``make install-deploy``. Runs mmdeploy's ``torch2onnx`` with mmdet_lite's rewriters and the
TorchScript exporter (torch 2.13 defaults to dynamo, which bypasses rewriters), checks the ONNX
file against TensorRT 8.2's parser, and for a TensorRT deploy config builds the engine with
``onnx2tensorrt`` when the ``tensorrt`` package is importable; otherwise it prints the
``trtexec`` command to run on the device (Jetson TX2: the engine must be built there).
"""

import argparse
import os
import os.path as osp
import sys

from mmengine.config import Config

import mmdet_lite  # noqa: F401
from mmdet_lite.export.trt_checker import check_trt
from mmdet_lite.utils import resolve_config_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('deploy_cfg')
    parser.add_argument('model_cfg')
    parser.add_argument('checkpoint')
    parser.add_argument('img', help='an image used to trace the model')
    parser.add_argument('--work-dir', default='work_dirs/deploy')
    parser.add_argument('--device', default='cpu')
    args = parser.parse_args()
    try:
        from mmdeploy.apis import torch2onnx

        import mmdet_lite.deploy  # noqa: F401  (rewriters, exporter fix)
    except ImportError as err:
        sys.exit(f'tools/deploy.py: {err}. Install the deploy extra: make install-deploy')
    for path, what in ((args.checkpoint, 'checkpoint'), (args.img, 'image')):
        if not osp.isfile(path):
            sys.exit(f'tools/deploy.py: {what} {path!r} not found')
    deploy_cfg = Config.fromfile(resolve_config_path(args.deploy_cfg))
    model_cfg = resolve_config_path(args.model_cfg)
    os.makedirs(args.work_dir, exist_ok=True)
    save_file = deploy_cfg.onnx_config.save_file
    from mmdet_lite.deploy import allow_tensorrt_export_on_cpu
    with allow_tensorrt_export_on_cpu():  # the ONNX export itself needs no GPU
        torch2onnx(args.img, args.work_dir, save_file, deploy_cfg, model_cfg, args.checkpoint,
                   device=args.device)
    onnx_path = osp.join(args.work_dir, save_file)
    from mmdeploy.utils import is_dynamic_shape

    from mmdet_lite.deploy import make_trt_ready
    make_trt_ready(onnx_path, static=not is_dynamic_shape(deploy_cfg))
    violations = check_trt(onnx_path)
    print(f'wrote {onnx_path}; TensorRT 8.2 parser check: '
          + ('pass' if not violations else f'{len(violations)} violations'))
    for v in violations:
        print(f'  {v}')
    if deploy_cfg.backend_config.type != 'tensorrt':
        return
    try:
        import tensorrt  # noqa: F401
    except ImportError:
        shape = deploy_cfg.backend_config.model_inputs[0].input_shapes.input.opt_shape
        print('TensorRT is not installed here. On the device run:\n'
              f'  trtexec --onnx={save_file} --fp16 --saveEngine=end2end.engine '
              f'--workspace=1024   # input 1x3x{shape[2]}x{shape[3]}')
        return
    from mmdeploy.apis.tensorrt import onnx2tensorrt
    onnx2tensorrt(args.work_dir, 'end2end.engine', 0, deploy_cfg, onnx_path,
                  device=args.device)
    print(f"wrote {osp.join(args.work_dir, 'end2end.engine')}")


if __name__ == '__main__':
    main()
