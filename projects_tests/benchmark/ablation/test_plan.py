"""Run planning: run dirs, their files, the options a run trains with, who is a teacher."""

import os.path as osp

from mmengine.config import Config

import mmdet_lite  # noqa: F401 (registers the distillers)
from mmdet_lite.benchmark.ablation import TablePlan, run_files, run_options, seed_dir

STUDENT = Config(dict(model=dict(type='SingleStageDetector'), train_cfg=dict(max_epochs=3)))
DISTILLED = Config(dict(model=dict(type='AttentionDistiller', teacher=dict(config='t.py')),
                        train_cfg=dict(max_epochs=4)))


def test_seed_dir_and_run_files():
    d = seed_dir('wd', dict(config='configs/x/model_a.py'), 2)
    assert d == osp.join('wd', 'model_a', 'seed_2')
    assert run_files(STUDENT, d) == (osp.join(d, 'epoch_3.pth'), osp.join(d, 'result.json'))


def test_run_options():
    assert run_options(STUDENT, 1, ['a=1'], None) == ['a=1', 'randomness.seed=1']
    assert run_options(DISTILLED, 0, [], 'wd/t/seed_0/epoch_4.pth') == [
        'randomness.seed=0', 'model.teacher.checkpoint=wd/t/seed_0/epoch_4.pth']


def test_table_plan_teachers():
    plan = TablePlan(runs=[dict(name='t', config='./configs/t.py'),
                           dict(name='s', config='configs/s.py')],
                     teacher_of={'configs/s.py': 'configs/t.py', './configs/t.py': None})
    assert [plan.is_teacher(spec) for spec in plan.runs] == [True, False]
