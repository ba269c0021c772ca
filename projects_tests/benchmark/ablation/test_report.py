"""``--report-only`` on a work dir as the runner leaves it: the table is the one the runner
printed before the t-test, plus the t, p and 95 % CI columns and the verdicts of the new rule."""

import json
import os
import os.path as osp

import pytest
from mmengine.config import Config

from mmdet_lite.benchmark.ablation import run_files, run_fingerprint, run_options, runner, seed_dir
from projects_tests.conftest import REPO_ROOT, load_tool

# mAP@0.5 per row and seed (a result.json each); the W16 + CBFL differences to W16 are 0.010,
# 0.012, 0.011; KD's to W16 + CBFL -0.003, -0.015, -0.015 (mean -0.011, SE 0.004: 2.75 SE, but
# p = 0.11); the Eq. 3 row has seed 0 only (one pair); the teacher is trained once
MAPS = {'teacher': {0: 0.700}, 'w16': {0: 0.400, 1: 0.420, 2: 0.410},
        'cbfl': {0: 0.410, 1: 0.432, 2: 0.421}, 'cbfl-neg': {0: 0.405},
        'kd': {0: 0.407, 1: 0.417, 2: 0.406}}
TRAIN_S = {'teacher': None, 'w16': 600.0, 'cbfl': 660.0, 'cbfl-neg': 540.0, 'kd': None}

# The table of the runner before the t-test (commit a5e1d49) for this work dir, verbatim.
BEFORE = """\
| model | seeds | mAP@0.5 | AP50 vehicle | AP50 pedestrian | AP50 scooter | AP50 bicycle | vs | difference ± SE | verdict | params (M) | GMACs | ms/image | train time (min) |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
| HRNet-W32 (teacher) | 1 | 0.700 | 0.900 | 0.700 | 0.600 | 0.500 | HRNet-W16 + CBFL + KD | +0.290 ± 0.004 | reproduced | 1.50 | 2.25 | 42 | reused |
| HRNet-W16 | 3 | 0.410 ± 0.010 | 0.610 ± 0.010 | 0.410 ± 0.010 | 0.310 ± 0.010 | 0.210 ± 0.010 |  |  |  | 1.50 | 2.25 | 42 | 10.0 |
| HRNet-W16 + CBFL | 3 | 0.421 ± 0.011 | 0.621 ± 0.011 | 0.421 ± 0.011 | 0.321 ± 0.011 | 0.221 ± 0.011 | HRNet-W16 | +0.011 ± 0.001 | reproduced | 1.50 | 2.25 | 42 | 11.0 |
| HRNet-W16 + CBFL, w_c on the whole channel (Eq. 3 as printed) | 1 | 0.405 | 0.605 | 0.405 | 0.305 | 0.205 | HRNet-W16 | +0.005 | single run | 1.50 | 2.25 | 42 | 9.0 |
| HRNet-W16 + CBFL + KD | 3 | 0.410 ± 0.006 | 0.610 ± 0.006 | 0.410 ± 0.006 | 0.310 ± 0.006 | 0.210 ± 0.006 | HRNet-W16 + CBFL | -0.011 ± 0.004 | reversed | 1.50 | 2.25 | 42 | reused |
"""  # noqa: E501

# t = mean / SE; p two-sided with 2 degrees of freedom: 1 - |t| / sqrt(2 + t^2); 95 % CI: mean
# +- 4.303 SE. The teacher is a fixed value against KD's three seeds: 0.290 / 0.0035 = 82.58.
AFTER = """\
| model | seeds | mAP@0.5 | AP50 vehicle | AP50 pedestrian | AP50 scooter | AP50 bicycle | vs | difference ± SE | t | p | 95 % CI | verdict | params (M) | GMACs | ms/image | train time (min) |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
| HRNet-W32 (teacher) | 1 | 0.700 | 0.900 | 0.700 | 0.600 | 0.500 | HRNet-W16 + CBFL + KD | +0.290 ± 0.004 | +82.58 | < 0.001 | [+0.275, +0.305] | reproduced | 1.50 | 2.25 | 42 | reused |
| HRNet-W16 | 3 | 0.410 ± 0.010 | 0.610 ± 0.010 | 0.410 ± 0.010 | 0.310 ± 0.010 | 0.210 ± 0.010 |  |  |  |  |  |  | 1.50 | 2.25 | 42 | 10.0 |
| HRNet-W16 + CBFL | 3 | 0.421 ± 0.011 | 0.621 ± 0.011 | 0.421 ± 0.011 | 0.321 ± 0.011 | 0.221 ± 0.011 | HRNet-W16 | +0.011 ± 0.001 | +19.05 | 0.003 | [+0.009, +0.013] | reproduced | 1.50 | 2.25 | 42 | 11.0 |
| HRNet-W16 + CBFL, w_c on the whole channel (Eq. 3 as printed) | 1 | 0.405 | 0.605 | 0.405 | 0.305 | 0.205 | HRNet-W16 | +0.005 |  |  |  | not resolved (1 pair) | 1.50 | 2.25 | 42 | 9.0 |
| HRNet-W16 + CBFL + KD | 3 | 0.410 ± 0.006 | 0.610 ± 0.006 | 0.410 ± 0.006 | 0.310 ± 0.006 | 0.210 ± 0.006 | HRNet-W16 + CBFL | -0.011 ± 0.004 | -2.75 | 0.111 | [-0.028, +0.006] | not resolved | 1.50 | 2.25 | 42 | reused |
"""  # noqa: E501


def _columns(table, drop):
    """``table`` (markdown) without the columns named in ``drop``."""
    rows = [line.split(' | ') for line in table.strip().split('\n')]
    keep = [k for k, name in enumerate(rows[0]) if name.strip('| ') not in drop]
    # the separator row has no ' | ': rebuild it for the kept columns
    return ['|' + '---|' * len(keep) if len(r) == 1 else ' | '.join(r[k] for k in keep)
            for r in rows]


@pytest.fixture
def work_dir(tmp_path):
    """result.json and fingerprint.txt of each row and seed, as the runner writes them."""
    tool = load_tool('reproduce_mobile_centernet')
    teacher_ckpt = None
    for key in MAPS:  # the teacher first: the KD row's fingerprint names its checkpoint
        spec = tool.ROWS[key]
        cfg = Config.fromfile(osp.join(REPO_ROOT, spec['config']))
        for seed, m in MAPS[key].items():
            d = seed_dir(str(tmp_path / 'wd'), spec, seed)
            ckpt, result = run_files(cfg, d)
            ap = dict(mAP50=m, vehicle=m + 0.2, pedestrian=m, scooter=m - 0.1, bicycle=m - 0.2)
            os.makedirs(d)
            with open(result, 'w') as f:
                json.dump(dict(ap=ap, seed=seed, train_s=TRAIN_S[key], config=spec['config']), f)
            with open(osp.join(d, 'fingerprint.txt'), 'w') as f:
                f.write(run_fingerprint(cfg, run_options(cfg, seed, [], teacher_ckpt)) + '\n')
            teacher_ckpt = ckpt if key == 'teacher' else teacher_ckpt
    (tmp_path / 'data' / 'annotations').mkdir(parents=True)
    (tmp_path / 'data' / 'annotations' / 'instances_val.json').write_text('{}')
    return tmp_path


def test_report_only_table(work_dir, monkeypatch):
    # params, GMACs and latency need the checkpoints: fixed here, the table is what is checked
    monkeypatch.setattr(runner, 'model_complexity', lambda cfg, shape: dict(params_M=1.5,
                                                                              gmacs=2.25))
    monkeypatch.setattr(runner, 'ms_per_image', lambda cfg, ckpt, shape: 42.0)
    tool = load_tool('reproduce_mobile_centernet')
    text = tool.main(['--work-dir', str(work_dir / 'wd'), '--data', str(work_dir / 'data'),
                      '--seeds', '3', '--report-only', '--rows', *MAPS])
    table = '\n'.join(line for line in text.split('\n') if line.startswith('|')) + '\n'
    assert table == AFTER
    # apart from the statistics columns and the verdicts of the new rule, the table of before
    assert _columns(AFTER, {'t', 'p', '95 % CI', 'verdict'}) == _columns(BEFORE, {'verdict'})
    assert 'verdict: reproduced / reversed when p < 0.05 in / against the paper' in text
    assert (work_dir / 'wd' / 'ablation.md').read_text() == text
    assert (work_dir / 'wd' / 'ablation.png').stat().st_size > 1000
    assert not (work_dir / 'wd' / 'ablation.json').exists()  # report-only writes no results
