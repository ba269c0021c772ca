"""The multi-process launchers: slurm_train.sh hands srun --kill-on-bad-exit=1 and the
one-task-per-GPU layout (a stand-in srun records its arguments); under torchrun
(tools/dist_train.sh, 2 gloo processes) a truncated image on one rank ends every rank promptly
with that rank's error naming the file, instead of leaving the other rank in a collective."""

import os
import os.path as osp
import subprocess
import time

import pytest

from projects_tests.conftest import REPO_ROOT, run_dist_train


def test_slurm_train_kills_the_step_on_a_failed_rank(tmp_path):
    fake = tmp_path / 'bin'
    fake.mkdir()
    (fake / 'srun').write_text('#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n')
    (fake / 'srun').chmod(0o755)
    env = dict(os.environ, PATH=f'{fake}:{os.environ["PATH"]}', GPUS='16', GPUS_PER_NODE='8')
    out = subprocess.run(['bash', osp.join(REPO_ROOT, 'tools/slurm_train.sh'), 'part', 'job',
                          'CFG.py', 'wd', '--auto-scale-lr'], env=env, capture_output=True,
                         text=True, check=True).stdout.split('\n')
    for arg in ('--kill-on-bad-exit=1', '--ntasks=16', '--ntasks-per-node=8', '--gres=gpu:8',
                '--job-name=job', 'CFG.py', '--work-dir=wd', 'slurm', '--auto-scale-lr'):
        assert arg in out, (arg, out)
    assert out[out.index('--launcher') + 1] == 'slurm'
    with pytest.raises(subprocess.CalledProcessError):  # usage error, no srun call
        subprocess.run(['bash', osp.join(REPO_ROOT, 'tools/slurm_train.sh'), 'part'], env=env,
                       check=True, capture_output=True)


@pytest.mark.slow
def test_bad_image_on_one_rank_ends_every_rank(tmp_path):
    from mmdet_lite.datasets.synthetic import make_synthetic_dataset
    data = tmp_path / 'data' / 'synthetic'
    make_synthetic_dataset(str(data), num_train=8, num_val=2, seed=3)
    victim = sorted((data / 'images' / 'train').glob('*.jpg'))[5]
    raw = victim.read_bytes()
    victim.write_bytes(raw[:len(raw) // 2])  # a truncated JPEG
    start = time.monotonic()
    config = osp.join(REPO_ROOT, 'configs/mobile_centernet/mcn_hrnet-w16_synthetic.py')
    proc = run_dist_train(config, tmp_path, 29519, ('train_dataloader.dataset.max_unreadable=0', ),
                          timeout=300)
    took = time.monotonic() - start
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out[-3000:]
    assert 'unreadable' in out and victim.name in out, out[-3000:]
    assert took < 120, f'{took:.0f} s: the other rank was left waiting'
