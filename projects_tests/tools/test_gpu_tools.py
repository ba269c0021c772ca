"""The GPU user's tools on a CPU machine: deploy.py's device choice, check_gpu's plan and its
no-CUDA exit, install_mmcv's cache key and CUDA decision."""

import subprocess
import sys

import pytest
import torch

from projects_tests.conftest import REPO_ROOT, load_tool


@pytest.fixture(scope='module')
def deploy():
    return load_tool('deploy')


def test_deploy_device_follows_the_backend(deploy):
    assert deploy.choose_device('tensorrt', None, cuda_available=True) == 'cuda:0'
    assert deploy.choose_device('onnxruntime', None, cuda_available=True) == 'cpu'
    assert deploy.choose_device('onnxruntime', None, cuda_available=False) == 'cpu'
    assert deploy.choose_device('tensorrt', 'cuda:1', cuda_available=True) == 'cuda:1'


def test_deploy_refuses_tensorrt_without_cuda_and_says_what_to_do(deploy):
    with pytest.raises(SystemExit) as err:
        deploy.choose_device('tensorrt', None, cuda_available=False, deploy_cfg='trt.py')
    msg = str(err.value)
    assert 'trt.py is a TensorRT deploy config' in msg and 'no CUDA' in msg
    assert 'tools/export_onnx.py' in msg and 'trtexec --onnx=' in msg
    with pytest.raises(SystemExit, match='traces on a CUDA device; got --device cpu'):
        deploy.choose_device('tensorrt', 'cpu', cuda_available=True, deploy_cfg='trt.py')
    with pytest.raises(SystemExit, match='--device cuda:0 was asked for'):
        deploy.choose_device('onnxruntime', 'cuda:0', cuda_available=False)


@pytest.mark.skipif(torch.cuda.is_available(), reason='checks the no-CUDA path')
def test_check_gpu_without_cuda_exits_2():
    proc = subprocess.run([sys.executable, 'tools/check_gpu.py'], cwd=REPO_ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert 'no CUDA device' in proc.stdout


def test_check_gpu_plan_covers_every_family():
    tool = load_tool('check_gpu')
    steps = tool.plan('wd')
    rows = {row for row, _, _ in steps}
    assert rows == {'mobile_centernet', 'refinedet_lite', 'attention_kd_ssd', 'effnet_gfl',
                    'kd_structured'}
    deploys = [cmd for _, step, cmd in steps if step.startswith('deploy.py')]
    assert len(deploys) == 4 and all(cmd[-2:] == ['--device', 'cuda:0'] for cmd in deploys)
    trains = [cmd for _, step, cmd in steps if step.startswith('train')]
    # every family trains in mixed precision: --amp, or its own MixedPrecisionOptimWrapper
    assert all('--amp' in cmd or 'amp_synthetic' in cmd[2] for cmd in trains)
    kd = [cmd for row, step, cmd in steps if row == 'kd_structured' and 'student' in step][0]
    assert 'model.teacher.checkpoint=wd/kd_teacher_w32/epoch_1.pth' in kd


def test_mmcv_cache_key_and_cuda_decision():
    tool = load_tool('install_mmcv')
    assert tool.cache_key('2.1.0', '2.13.0+cpu', None, (3, 11), False) == \
        'mmcv2.1.0-torch2.13.0-cpu-py311-cpuops'
    assert tool.cache_key('2.1.0', '2.11.0', '13.0', (3, 12), True) == \
        'mmcv2.1.0-torch2.11.0-cu130-py312-cudaops'
    assert tool.want_cuda_ops(None, '/usr/bin/nvcc', None)[0] is False
    ok, why = tool.want_cuda_ops('12.1', None, None)
    assert ok is False and 'no CUDA toolkit' in why
    assert tool.want_cuda_ops('12.1', '/usr/local/cuda/bin/nvcc', None)[0] is True
    assert tool.want_cuda_ops('12.1', '/usr/local/cuda/bin/nvcc', '0')[0] is False
