"""Convert a trained detector with mmdeploy 1.3.1 (ONNX, and a TensorRT engine where TensorRT is).

    python tools/deploy.py DEPLOY_CFG MODEL_CFG CHECKPOINT IMG [--work-dir DIR] [--device DEV]
    python tools/deploy.py configs/deploy/detection_tensorrt-fp16_static-576x320.py \\
        configs/mobile_centernet/mcn_hrnet-w16_2xb16-60e_bdd100k.py epoch_60.pth demo.jpg \\
        --work-dir trt

Needs ``make install-deploy``. Runs mmdeploy's ``torch2onnx`` with mmdet_lite's rewriters and the
TorchScript exporter (torch 2.13 defaults to dynamo, which bypasses rewriters), checks the ONNX
file against TensorRT 8.2's parser, and for a TensorRT deploy config builds the engine with
``onnx2tensorrt`` when the ``tensorrt`` package is importable; otherwise it prints the
``trtexec`` command to run on the device (Jetson TX2: the engine must be built there).

The trace device: ``cuda:0`` for a TensorRT deploy config (mmdeploy traces those on CUDA, and
builds the engine there), ``cpu`` for an ONNX one, unless ``--device`` says otherwise. A TensorRT
deploy config on a machine without CUDA is refused with the CPU route: ``tools/export_onnx.py``
(or an onnxruntime deploy config) here, then ``trtexec`` on the target.
"""

import argparse
import os
import os.path as osp
import sys
from typing import Optional, Tuple

from mmengine.config import Config

import mmdet_lite  # noqa: F401
from mmdet_lite.export.deploy_info import tx2_recipe
from mmdet_lite.export.trt_checker import check_trt
from mmdet_lite.utils import resolve_config_path


def choose_device(backend: str, requested: Optional[str], cuda_available: bool,
                  deploy_cfg: str = 'DEPLOY_CFG') -> str:
    """The device to trace on, or ``SystemExit`` with what to do instead."""
    device = requested or ('cuda:0' if backend == 'tensorrt' else 'cpu')
    if device.startswith('cuda') and not cuda_available:
        if backend == 'tensorrt':
            why = (f'{deploy_cfg} is a TensorRT deploy config: mmdeploy traces and builds those '
                   'on a CUDA device')
        else:
            why = f'--device {device} was asked for'
        sys.exit(
            f'tools/deploy.py: {why}, and this machine has no CUDA '
            '(torch.cuda.is_available() is False). On a CPU, export the ONNX file instead:\n'
            '  python tools/export_onnx.py MODEL_CFG CHECKPOINT --shape H W --out end2end.onnx\n'
            '  (or tools/deploy.py configs/deploy/detection_onnxruntime_static.py ...)\n'
            'then build the engine on the target (Jetson TX2: JetPack 4.6, TensorRT 8.2):\n'
            '  trtexec --onnx=end2end.onnx --fp16 --saveEngine=end2end.engine --workspace=1024')
    if backend == 'tensorrt' and not device.startswith('cuda'):
        sys.exit(f'tools/deploy.py: {deploy_cfg} is a TensorRT deploy config, which mmdeploy '
                 f'traces on a CUDA device; got --device {device}. Leave --device out (cuda:0), '
                 'or export on the CPU with tools/export_onnx.py and build the engine with '
                 'trtexec on the target.')
    return device


def check_fit(deploy_cfg: Config, deploy_cfg_path: str, model_cfg: str, checkpoint: str) -> None:
    """Before mmdeploy loads anything (it loads non-strictly, so a checkpoint of another model
    would convert with initial weights): the checkpoint must fit the model and its class order
    (as tools/export_onnx.py checks), and a fixed input size must be a multiple of the stride."""
    from mmdet_lite.export import ExportError, load_detector, model_stride
    try:
        detector, _ = load_detector(model_cfg, checkpoint)
    except ExportError as err:
        sys.exit(f'tools/deploy.py: {err}')
    size = deploy_cfg.onnx_config.get('input_shape')
    stride = model_stride(detector)
    if size and any(int(s) % stride for s in size):
        w, h = (max(stride, round(int(s) / stride) * stride) for s in size)
        sys.exit(f'tools/deploy.py: {deploy_cfg_path} sets onnx_config.input_shape {list(size)} '
                 f'(W, H), not a multiple of the model stride {stride}; the file would be padded '
                 f'to another size than the engine is built for. Use a deploy config with '
                 f'input_shape=[{w}, {h}] (and the same engine shapes).')


def onnx_input_shape(onnx_path: str) -> Tuple[int, ...]:
    """The file's real input shape (0 for a dynamic dimension)."""
    import onnx
    dims = onnx.load(onnx_path, load_external_data=False).graph.input[0].type.tensor_type.shape
    return tuple(d.dim_value for d in dims.dim)


def write_mmdeploy_info(onnx_path: str, model_cfg: str, model_cfg_arg: str) -> Optional[str]:
    """``<stem>.deploy.json`` of mmdeploy's file: it takes the normalised tensor of the data
    preprocessor (RGB if the config converts), so the host normalises. None for a
    dynamic-shape file (the device evaluator runs static files only)."""
    from mmdet_lite.export.deploy_info import build_deploy_info, write_deploy_info
    from mmdet_lite.export.export_onnx import dataset_classes
    cfg = Config.fromfile(model_cfg)
    shape = onnx_input_shape(onnx_path)[2:]
    if not all(shape):
        return None
    return write_deploy_info(build_deploy_info(
        cfg, model_cfg_arg, onnx_path, dataset_classes(cfg), shape, 'fp32',
        'tools/deploy.py (mmdeploy torch2onnx)', normalize_in_graph=False), onnx_path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('deploy_cfg')
    parser.add_argument('model_cfg')
    parser.add_argument('checkpoint')
    parser.add_argument('img', help='an image used to trace the model')
    parser.add_argument('--work-dir', default='work_dirs/deploy')
    parser.add_argument('--device', default=None,
                        help='trace device (default: cuda:0 for a TensorRT deploy config, '
                             'cpu for an ONNX one)')
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
    import torch
    device = choose_device(deploy_cfg.backend_config.type, args.device,
                           torch.cuda.is_available(), args.deploy_cfg)
    model_cfg = resolve_config_path(args.model_cfg)
    check_fit(deploy_cfg, args.deploy_cfg, model_cfg, args.checkpoint)
    os.makedirs(args.work_dir, exist_ok=True)
    save_file = deploy_cfg.onnx_config.save_file
    torch2onnx(args.img, args.work_dir, save_file, deploy_cfg, model_cfg, args.checkpoint,
               device=device)
    onnx_path = osp.join(args.work_dir, save_file)
    from mmdeploy.utils import is_dynamic_shape

    from mmdet_lite.deploy import make_trt_ready
    make_trt_ready(onnx_path, static=not is_dynamic_shape(deploy_cfg))
    violations = check_trt(onnx_path)
    print(f'wrote {onnx_path}; TensorRT 8.2 parser check: '
          + ('pass' if not violations else f'{len(violations)} violations'))
    for v in violations:
        print(f'  {v}')
    info = write_mmdeploy_info(onnx_path, model_cfg, args.model_cfg)
    if info is None:
        print('a dynamic-shape file: no deploy info (tools/jetson/evaluate_engine.py and the TX2 '
              'recipe take a static deploy config)')
    else:
        print(f'wrote {info} (pre/post-processing for tools/jetson/evaluate_engine.py)')
        print(tx2_recipe(onnx_path, info))
    if deploy_cfg.backend_config.type != 'tensorrt':
        return
    try:
        import tensorrt  # noqa: F401
    except ImportError:
        shape = 'x'.join(str(d) for d in onnx_input_shape(onnx_path))
        print('TensorRT is not installed here. On the device run:\n'
              f'  trtexec --onnx={save_file} --fp16 --saveEngine=end2end.engine '
              f'--workspace=1024   # the file\'s input: {shape}')
        return
    from mmdeploy.apis.tensorrt import onnx2tensorrt
    onnx2tensorrt(args.work_dir, 'end2end.engine', 0, deploy_cfg, onnx_path, device=device)
    print(f"wrote {osp.join(args.work_dir, 'end2end.engine')}")


if __name__ == '__main__':
    main()
