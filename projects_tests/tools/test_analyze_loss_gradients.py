"""tools/analyze_loss_gradients.py on the Mobile CenterNet KD config (stand-in teacher)."""

import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmdet.registry import MODELS
from mmengine.config import Config
from mmengine.registry import init_default_scope

from projects_tests.conftest import REPO_ROOT, load_tool
from projects_tests.models.distillers.test_structured_kd_distiller import (
    KD,
    STUDENT,
    write_teacher,
)


def test_kd_config_table(tmp_path, monkeypatch, capsys):
    from mmdet_lite.datasets.synthetic import make_synthetic_dataset
    init_default_scope('mmdet')
    teacher_cfg, teacher_ckpt, _ = write_teacher(tmp_path)
    make_synthetic_dataset(str(tmp_path / 'data' / 'synthetic'), num_train=4, num_val=2, seed=3)
    # plain student weights, as a student or KD run saves them
    student = MODELS.build(Config.fromfile(STUDENT).model)
    ckpt = str(tmp_path / 'student.pth')
    torch.save(dict(state_dict=student.state_dict()), ckpt)
    cmd = [sys.executable, osp.join(REPO_ROOT, 'tools/analyze_loss_gradients.py'), KD,
           '--batches', '1', '--checkpoint', ckpt,
           '--cfg-options', f'model.teacher.config={teacher_cfg}',
           f'model.teacher.checkpoint={teacher_ckpt}', 'train_dataloader.batch_size=2',
           'train_dataloader.num_workers=0', 'train_dataloader.persistent_workers=False']
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, OMP_NUM_THREADS='1'))
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    rows = {line.split('|')[1].strip(): line.split('|')[2:-1]
            for line in proc.stdout.splitlines() if line.startswith('| loss') or
            line.startswith('| detection') or line.startswith('| distillation')}
    assert set(rows) >= {'loss_center_heatmap', 'loss_kd_pixel (KD)', 'loss_kd_pair (KD)',
                         'detection', 'distillation'}, proc.stdout
    # columns: value, then (norm, ratio, cos) for backbone and for bbox_head
    pair = [float(c) for c in rows['loss_kd_pair (KD)']]
    assert pair[1] > 0 and pair[4] == 0.0  # the feature term reaches the backbone only
    det = [float(c) for c in rows['detection']]
    assert det[2] == 1.0 and det[3] == 1.0
    # a missing checkpoint is named (in-process: the check comes before anything is built)
    cmd[cmd.index(ckpt)] = str(tmp_path / 'nope.pth')
    monkeypatch.setattr(sys, 'argv', cmd[1:])
    with pytest.raises(SystemExit) as exit_info:
        load_tool('analyze_loss_gradients').main()
    assert exit_info.value.code != 0 and 'nope.pth' in capsys.readouterr().err
