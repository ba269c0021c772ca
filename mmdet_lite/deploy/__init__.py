"""mmdeploy integration: rewriters for mmdet_lite's heads and a torch 2.13 export fix.

Imported only when mmdeploy is used (``tools/deploy.py`` and the deploy configs in
``configs/deploy/`` import it); needs ``make install-deploy``. Importing it:

- registers the rewriters in :mod:`mmdet_lite.deploy.rewriters` with mmdeploy;
- applies the ``deploy`` patches of :mod:`mmdet_lite.compat`: ``torch.onnx.export`` defaults to
  the TorchScript exporter (``dynamo=False``); torch >= 2.9 defaults to the dynamo exporter, which
  bypasses mmdeploy's rewriters.
"""

import contextlib
from typing import Iterator

from ..compat import apply_patches

try:
    import mmdeploy  # noqa: F401
except ImportError as err:  # pragma: no cover - depends on the environment
    raise ImportError('mmdet_lite.deploy needs mmdeploy 1.3.1: run `make install-deploy`') from err


apply_patches('deploy')  # the TorchScript exporter by default (mmdet_lite.compat)


@contextlib.contextmanager
def allow_tensorrt_export_on_cpu() -> Iterator[None]:
    """Let mmdeploy's ``torch2onnx`` trace a TensorRT deploy config on the CPU.

    mmdeploy refuses ``device='cpu'`` for the tensorrt backend up front. The CPU tests use this to
    check the TensorRT-specific rewriters' graph without a GPU; ``tools/deploy.py`` does not (it
    traces TensorRT configs on CUDA, as mmdeploy intends, and points a CPU user to
    ``tools/export_onnx.py`` and ``trtexec`` on the target).
    """
    from mmdeploy.apis.utils import utils as api_utils
    check = api_utils.check_backend_device

    def relaxed(deploy_cfg, device):
        from mmdeploy.utils import get_backend
        if get_backend(deploy_cfg).value == 'tensorrt':
            return
        check(deploy_cfg, device)

    api_utils.check_backend_device = relaxed
    try:
        yield
    finally:
        api_utils.check_backend_device = check

from . import rewriters  # noqa: E402,F401  (registers the rewriters)
from .trt_ready import make_trt_ready  # noqa: E402

__all__ = ['allow_tensorrt_export_on_cpu', 'make_trt_ready', 'rewriters']
