"""One row at one seed: trained once, evaluated once, its AP the one its test run logged; reused
on the next call; a run dir of another configuration refused. The tools' processes are faked."""

import json
import os
import os.path as osp

import pytest

from mmdet_lite.benchmark.ablation import AblationSettings, evaluate, runner, seed_dir
from projects_tests.conftest import REPO_ROOT

SPEC = dict(name='W16', config='configs/mobile_centernet/mcn_hrnet-w16_synthetic.py')
LOGGED = {'coco/vehicle_AP50': 0.5, 'coco/pedestrian_AP50': 0.25, 'coco/scooter_AP50': 0.0,
          'coco/bicycle_AP50': 0.25, 'coco/bbox_mAP_50': 0.25}


@pytest.fixture
def calls(monkeypatch):
    """The commands the runner starts; train.py leaves the final checkpoint, test.py its
    metrics json (where mmengine writes them)."""
    started = []

    def fake_run_logged(cmd, log_path, append=False):
        started.append(osp.basename(cmd[1]))
        work_dir = cmd[cmd.index('--work-dir') + 1]
        if cmd[1].endswith('train.py'):
            open(osp.join(work_dir, 'epoch_3.pth'), 'w').close()
        else:
            os.makedirs(osp.join(work_dir, '20261207_120000'))
            with open(osp.join(work_dir, '20261207_120000', '20261207_120000.json'), 'w') as f:
                json.dump(LOGGED, f)
        return 60.0

    monkeypatch.setattr(runner, 'run_logged', fake_run_logged)
    monkeypatch.setattr(evaluate, 'run_logged', fake_run_logged)
    return started


def test_train_evaluate_then_reuse(tmp_path, calls):
    settings = AblationSettings(work_dir=str(tmp_path), root=REPO_ROOT)
    run_dir = seed_dir(settings.work_dir, SPEC, 0)
    ap, train_s, ckpt = runner.train_and_evaluate(SPEC, 0, run_dir, settings, None, force=False)
    assert calls == ['train.py', 'test.py'] and ckpt == osp.join(run_dir, 'epoch_3.pth')
    assert ap == dict(vehicle=0.5, pedestrian=0.25, scooter=0.0, bicycle=0.25, mAP50=0.25)
    assert train_s == 60.0
    with open(osp.join(run_dir, 'result.json')) as f:
        assert json.load(f) == dict(ap=ap, seed=0, train_s=60.0, config=SPEC['config'])
    assert osp.isfile(osp.join(run_dir, 'fingerprint.txt'))
    # the same call again reuses the run; report-only reads it
    assert runner.train_and_evaluate(SPEC, 0, run_dir, settings, None, False) == (ap, 60.0, ckpt)
    assert runner.stored_result(SPEC, 0, run_dir, settings, None) == (ap, 60.0, ckpt)
    assert calls == ['train.py', 'test.py']
    # another configuration (here other options) is refused, not reused
    other = AblationSettings(work_dir=str(tmp_path), root=REPO_ROOT, cfg_options=('a=1',))
    with pytest.raises(SystemExit, match='another configuration'):
        runner.train_and_evaluate(SPEC, 0, run_dir, other, None, False)
    # --force retrains from scratch
    runner.train_and_evaluate(SPEC, 0, run_dir, other, None, force=True)
    assert calls == ['train.py', 'test.py'] * 2
