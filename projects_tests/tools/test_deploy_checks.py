"""tools/deploy.py checks the checkpoint and the deploy config before mmdeploy loads anything
(mmdeploy loads non-strictly: a checkpoint of another model converted with initial weights and
passed the TensorRT check with exit code 0)."""

import os.path as osp

import pytest
import torch
from mmengine.config import Config

from mmdet_lite.export import load_detector
from projects_tests.conftest import REPO_ROOT, load_tool

W16 = osp.join(REPO_ROOT, 'configs/mobile_centernet/mcn_hrnet-w16_synthetic.py')
RDL = osp.join(REPO_ROOT, 'configs/refinedet_lite/refinedet-lite_res2netlite72_synthetic.py')
DEPLOY = osp.join(REPO_ROOT, 'configs/deploy/detection_tensorrt-fp16_static-576x320.py')


@pytest.fixture(scope='module')
def w16_checkpoint(tmp_path_factory):
    path = str(tmp_path_factory.mktemp('deploy_checks') / 'w16.pth')
    torch.save(dict(state_dict=load_detector(W16, None)[0].state_dict()), path)
    return path


def test_checkpoint_of_another_family_is_refused(w16_checkpoint):
    deploy = load_tool('deploy')
    with pytest.raises(SystemExit, match=r"tools/deploy.py: Checkpoint .*w16.pth' does not fit "
                       r'the model of .*refinedet-lite_res2netlite72_synthetic.py'):
        deploy.check_fit(Config.fromfile(DEPLOY), DEPLOY, RDL, w16_checkpoint)
    deploy.check_fit(Config.fromfile(DEPLOY), DEPLOY, W16, w16_checkpoint)  # the right pair


def test_input_size_not_a_multiple_of_the_stride_is_refused(w16_checkpoint):
    """300x170 used to be padded silently to 320x192 while the printed trtexec hint said
    170x300."""
    deploy = load_tool('deploy')
    cfg = Config.fromfile(DEPLOY)
    cfg.onnx_config.input_shape = [300, 170]
    with pytest.raises(SystemExit, match=r'sets onnx_config.input_shape \[300, 170\] \(W, H\), '
                       r'not a multiple of the model stride 32.*input_shape=\[288, 160\]'):
        deploy.check_fit(cfg, 'sized.py', W16, w16_checkpoint)
