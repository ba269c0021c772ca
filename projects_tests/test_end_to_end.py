"""End-to-end on a tiny synthetic split: `mim train` (installed package), kill + `--resume`,
`mim test` with the COCO table, the ONNX export and its COCO table (tools/export_onnx.py,
tools/test_deployed.py), and mmdet's DetInferencer on the checkpoint."""

import glob
import json
import os
import os.path as osp
import re
import signal
import subprocess
import sys
import time

import pytest

from mmdet_lite.datasets.synthetic import make_synthetic_dataset
from projects_tests.conftest import load_tool

CONFIG = 'configs/mobile_centernet/mcn_hrnet-w16_cbfl_synthetic.py'
MIM = osp.join(osp.dirname(sys.executable), 'mim')
SMALL = ['train_dataloader.batch_size=4', 'train_dataloader.num_workers=0',
         'train_dataloader.persistent_workers=False', 'val_dataloader.num_workers=0',
         'val_dataloader.persistent_workers=False', 'test_dataloader.num_workers=0',
         'test_dataloader.persistent_workers=False', 'default_hooks.logger.interval=1',
         # 36 iterations: the config's 50-iteration warm-up would span the whole run and leave
         # mAP@0.5 at about 0.001 (0.0 in some runs, a flaky `> 0` below); a fixed seed too
         'param_scheduler.0.end=5', 'randomness.seed=0']


@pytest.fixture(scope='module')
def workspace(tmp_path_factory):
    """A directory with data/synthetic/ (tiny) in which the configs' relative paths resolve."""
    root = tmp_path_factory.mktemp('e2e')
    make_synthetic_dataset(str(root / 'data' / 'synthetic'), num_train=24, num_val=8, seed=3)
    return root


def run(cmd, cwd, **kwargs):
    env = dict(os.environ, PYTHONUNBUFFERED='1')
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, **kwargs)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    return out


@pytest.mark.slow
def test_mim_train_kill_resume_test_and_inferencer(workspace, monkeypatch, capsys):
    work_dir = str(workspace / 'wd')
    # CONFIG is not a path from `workspace`: mim finds it inside the installed package by name
    assert not osp.exists(workspace / CONFIG)
    train = [MIM, 'train', 'mmdet_lite', CONFIG, '--work-dir', work_dir, '--cfg-options', *SMALL]

    # 1. start a 6-epoch run and kill it once the first checkpoint is written: mmengine writes
    # `last_checkpoint` after the file, and `--resume` starts from scratch without it (a kill
    # between the two, when polling for epoch_*.pth, made this test fail at random)
    env = dict(os.environ, PYTHONUNBUFFERED='1')
    proc = subprocess.Popen(train + ['train_cfg.max_epochs=6', 'train_cfg.val_interval=6'],
                            cwd=workspace, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    deadline = time.time() + 300
    while not osp.exists(osp.join(work_dir, 'last_checkpoint')) and proc.poll() is None:
        assert time.time() < deadline, 'no checkpoint written in time'
        time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGKILL)
    out = proc.communicate()[0]
    assert 'Class-balanced loss weights' in out, out[-3000:]
    done = sorted(glob.glob(osp.join(work_dir, 'epoch_*.pth')))
    assert done and not osp.exists(osp.join(work_dir, 'epoch_6.pth'))

    # 2. resume from the last checkpoint (weights-only loading of a full Runner checkpoint)
    out = run(train + ['train_cfg.max_epochs=6', 'train_cfg.val_interval=6', '--resume'],
              cwd=workspace, timeout=600)
    assert re.search(r'resumed epoch: [1-5], iter: [1-9]', out), out[-3000:]
    assert osp.exists(osp.join(work_dir, 'epoch_6.pth'))
    assert 'bbox_mAP_50' in out

    # 3. mim test: COCO evaluation with the per-class table
    ckpt = osp.join(work_dir, 'epoch_6.pth')
    out = run([MIM, 'test', 'mmdet_lite', CONFIG, '--checkpoint', ckpt, '--work-dir', work_dir,
               '--cfg-options', *SMALL], cwd=workspace, timeout=300)
    assert 'bbox_mAP_50' in out
    for name in ('vehicle', 'pedestrian', 'scooter', 'bicycle'):
        assert name in out

    test_map50 = float(re.search(r'bbox_mAP_50: ([0-9.]+)', out).group(1))
    repo = osp.dirname(osp.dirname(osp.abspath(__file__)))

    # 5. the exported graph reproduces tools/test.py's mAP (tools/test_deployed.py); the tools
    # run in-process here (their subprocess start is covered by step 1-3's `mim`)
    monkeypatch.chdir(workspace)
    onnx_file = str(workspace / 'w16.onnx')
    load_tool('export_onnx').main([osp.join(repo, CONFIG), ckpt, '--shape', '160', '288',
                                   '--out', onnx_file])
    printed = capsys.readouterr().out
    assert 'TensorRT 8.2 parser check: pass' in printed
    assert 'trtexec --onnx=w16.onnx --fp16 --saveEngine=w16.engine' in printed  # the TX2 recipe
    assert 'jetson/evaluate_engine.py w16.engine' in printed
    assert load_tool('test_deployed').main([osp.join(repo, CONFIG), onnx_file, '--compare', ckpt,
                                            '--json', str(workspace / 'deployed.json')]) == 0
    assert '| mAP@0.5 |' in capsys.readouterr().out
    with open(workspace / 'deployed.json') as f:
        deployed = json.load(f)
    onnx_res, torch_res = deployed['fp32:w16.onnx'], deployed['pytorch:epoch_6.pth']
    torch_map = torch_res['coco/bbox_mAP_50_unrounded']
    # the same number as tools/test.py (which rounds to 3 decimals); 6 epochs on 24 images make
    # a weak model, so its per-class AP@0.5 are compared too, unrounded
    assert round(torch_map, 3) == test_map50 and torch_map > 0
    for key in ['coco/bbox_mAP_50_unrounded'] + [f'coco/{c}_AP50' for c in
                                                  ('vehicle', 'pedestrian', 'scooter', 'bicycle')]:
        assert abs(onnx_res[key] - torch_res[key]) <= 0.002, key

    # 6. the device-side evaluator on the same file and split: the same numbers
    sys.path.insert(0, osp.join(repo, 'tools', 'jetson'))
    import evaluate_engine
    data = workspace / 'data/synthetic'
    assert evaluate_engine.main([onnx_file, '--ann', str(data / 'annotations/instances_val.json'),
                                 '--images', str(data / 'images/val'), '--warmup', '1',
                                 '--json', str(workspace / 'device.json')]) == 0
    with open(workspace / 'device.json') as f:
        device = json.load(f)['metrics']
    assert abs(device['mAP'] - onnx_res['coco/bbox_mAP']) <= 0.001
    assert abs(device['mAP_50'] - onnx_res['coco/bbox_mAP_50_unrounded']) <= 0.001

    # 4. DetInferencer with our config and checkpoint (via tools/draw_predictions.py)
    img = sorted(glob.glob(str(workspace / 'data/synthetic/images/val/*.jpg')))[0]
    out_img = str(workspace / 'pred.jpg')
    load_tool('draw_predictions').main([osp.join(repo, CONFIG), ckpt, img, '--out', out_img,
                                        '--score-thr', '0.0'])
    assert osp.getsize(out_img) > 0
