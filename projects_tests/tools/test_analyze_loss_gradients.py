"""tools/analyze_loss_gradients.py on the Mobile CenterNet KD config (stand-in teacher)."""


import pytest
import torch
from mmdet.registry import MODELS
from mmengine.config import Config
from mmengine.registry import init_default_scope

from projects_tests.conftest import tool_main
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
    monkeypatch.chdir(tmp_path)
    argv = [KD, '--batches', '1', '--checkpoint', ckpt,
            '--cfg-options', f'model.teacher.config={teacher_cfg}',
            f'model.teacher.checkpoint={teacher_ckpt}', 'train_dataloader.batch_size=2',
            'train_dataloader.num_workers=0', 'train_dataloader.persistent_workers=False']
    tool_main('analyze_loss_gradients', argv, monkeypatch)
    printed = capsys.readouterr().out
    rows = {line.split('|')[1].strip(): line.split('|')[2:-1]
            for line in printed.splitlines() if line.startswith('| loss') or
            line.startswith('| detection') or line.startswith('| distillation')}
    assert set(rows) >= {'loss_center_heatmap', 'loss_kd_pixel (KD)', 'loss_kd_pair (KD)',
                         'detection', 'distillation'}, printed
    # columns: value, then (norm, ratio, cos) for backbone and for bbox_head
    pair = [float(c) for c in rows['loss_kd_pair (KD)']]
    assert pair[1] > 0 and pair[4] == 0.0  # the feature term reaches the backbone only
    det = [float(c) for c in rows['detection']]
    assert det[2] == 1.0 and det[3] == 1.0
    # a missing checkpoint is named (in-process: the check comes before anything is built)
    argv[argv.index(ckpt)] = str(tmp_path / 'nope.pth')
    with pytest.raises(SystemExit) as exit_info:
        tool_main('analyze_loss_gradients', argv, monkeypatch)
    assert exit_info.value.code != 0 and 'nope.pth' in capsys.readouterr().err
