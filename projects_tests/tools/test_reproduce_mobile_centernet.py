"""The ablation tools' rows, their teachers and their report."""

import json
import os.path as osp

import pytest

from projects_tests.conftest import REPO_ROOT, load_tool


def test_report(tmp_path):
    tool = load_tool('reproduce_mobile_centernet')
    classes = ('a', 'b')
    seeds = {0: dict(mAP50=0.5, a=0.75, b=0.25), 1: dict(mAP50=0.6, a=0.85, b=0.35),
             2: dict(mAP50=0.7, a=0.95, b=0.45)}
    rows = [dict(name='m1', seeds={0: dict(mAP50=0.1, a=0.2, b=0.0)}, train_s={0: None},
                 params_m=28.6, gmacs=29.5, ms=300.0, teacher=True),
            dict(name='m2', seeds=seeds, train_s={0: 120.0, 1: 60.0, 2: 180.0}, params_m=1.6,
                 gmacs=5.7, ms=40.0, baseline='m1', direction=1),
            # a student baseline with one seed so far (m4): one pair, not a fixed reference;
            # the teacher (m1) compared with a student (m2): paired with each of its seeds
            dict(name='m3', seeds=seeds, train_s={}, params_m=1.6, gmacs=5.7, ms=40.0,
                 baseline='m4'),
            dict(name='m4', seeds={0: dict(mAP50=0.3, a=0.3, b=0.3)}, train_s={}, params_m=1.6,
                 gmacs=5.7, ms=40.0),
            dict(name='m1 again', seeds={0: dict(mAP50=0.1, a=0.2, b=0.0)}, train_s={},
                 params_m=28.6, gmacs=29.5, ms=300.0, teacher=True, baseline='m2')]
    text = tool.write_report(rows, classes, str(tmp_path), 600.0)
    assert ('| m1 | 1 | 0.100 | 0.200 | 0.000 |  |  |  |  |  |  | 28.60 | 29.50 | 300 | reused |'
            in text)
    # differences 0.4, 0.5, 0.6 to the teacher's one value: t = 0.5 / (0.1 / sqrt(3)) = 8.66
    assert ('| m2 | 3 | 0.600 ± 0.100 | 0.850 ± 0.100 | 0.350 ± 0.100 | m1 | +0.500 ± 0.058 | '
            '+8.66 | 0.013 | [+0.252, +0.748] | reproduced | 1.60 | 5.70 | 40 | 2.0 |') in text
    assert '| m4 | +0.200 |  |  |  | not resolved (1 pair) |' in text
    # the teacher below the student
    assert '| m2 | -0.500 ± 0.058 | -8.66 | 0.013 | [-0.748, -0.252] | reversed |' in text
    assert 'Total run time 10.0 min' in text
    assert (tmp_path / 'ablation.png').stat().st_size > 1000


def test_attention_kd_rows_share_one_student_config():
    mod = load_tool('reproduce_attention_kd')
    for student in mod.STUDENTS:
        rows = mod.runs(student)
        assert [r['name'].split(' ')[-1] for r in rows[1:4]] == ['scratch', 'SimpleDis',
                                                                  'AttentionDis']
        plain = rows[1]['config']
        assert all(r['eval_config'] == plain for r in rows[2:])
        # the departures (normalised maps, lambda_1 160, both), where there are configs, are
        # compared with SimpleDis as well
        assert all(('normalised' in r['name'] or 'lambda_1 160' in r['name'])
                   and r['baseline'] == rows[2]['name'] for r in rows[4:])
        for r in rows:
            assert osp.isfile(osp.join(REPO_ROOT, r['config'])), r['config']
    # --rows picks rows in table order (the runner adds a missing teacher itself)
    picked = mod.runs('vgg16-1-8', ['attentiondis-lambda160', 'scratch', 'attentiondis-norm'])
    assert [r['config'] for r in picked] == [mod.runs('vgg16-1-8')[i]['config']
                                             for i in (1, 4, 5)]
    assert picked[2]['config'] == mod.CONFIGS['vgg16-1-8']['attentiondis-lambda160']


def test_refinedet_lite_rows_exist():
    mod = load_tool('reproduce_refinedet_lite')
    rows = mod.runs(sorted(mod.ROWS))
    assert len(rows) == 17
    by_name = {r['name']: r for r in rows}
    for r in rows:  # every baseline is a row of the table
        assert r['baseline'] is None or r['baseline'] in by_name
    for r in rows:
        assert osp.isfile(osp.join(REPO_ROOT, r['config'])), r['config']


def test_effnet_gfl_rows_exist_and_ld_row_evaluated_as_student():
    mod = load_tool('reproduce_effnet_gfl')
    for r in mod.runs(list(mod.ROWS)):
        assert osp.isfile(osp.join(REPO_ROOT, r['config'])), r['config']
    assert mod.ROWS['5']['eval_config'] == mod.ROWS['4']['config']
    assert mod.runs(['4-dense']) == [mod.ROWS['4-dense']]


def test_rows():
    tool = load_tool('reproduce_mobile_centernet')
    assert [r['name'] for r in tool.runs(tool.TABLE2)] == [
        'HRNet-W32 (teacher)', 'HRNet-W16', 'HRNet-W16 + CBFL', 'HRNet-W16 + CBFL + KD']
    for row in tool.ROWS.values():
        assert osp.isfile(osp.join(REPO_ROOT, row['config'])), row['config']
        # distilled rows are evaluated as plain students
        if '+ KD' in row['name']:
            assert row['eval_config'].endswith('mcn_hrnet-w16_cbfl_synthetic.py')


def test_the_runner_finds_the_teacher_in_the_kd_config():
    from mmdet_lite.benchmark.ablation import plan_teachers
    tool = load_tool('reproduce_mobile_centernet')
    teacher = 'configs/mobile_centernet/mcn_hrnet-w32_teacher_synthetic.py'
    # a KD row alone brings its teacher, first; every KD row has it as its teacher
    runs, teacher_of = plan_teachers(tool.runs(['kd', 'kd-pa1']), REPO_ROOT)
    assert [r['config'] for r in runs][0] == teacher and len(runs) == 3
    assert runs[0]['name'] == 'teacher (mcn_hrnet-w32_teacher_synthetic)'
    assert set(teacher_of.values()) == {teacher}
    # a teacher asked for as a row is not added again
    runs, _ = plan_teachers(tool.runs(['w16', 'teacher', 'kd']), REPO_ROOT)
    assert [r['name'] for r in runs] == ['HRNet-W16', 'HRNet-W32 (teacher)',
                                         'HRNet-W16 + CBFL + KD']
    # rows that do not distil have no teacher
    runs, teacher_of = plan_teachers(tool.runs(['w16', 'cbfl', 'cbfl-neg']), REPO_ROOT)
    assert len(runs) == 3 and not any(teacher_of.values())
    # the other families' distillation rows name theirs
    agkd = load_tool('reproduce_attention_kd').runs('vgg16-1-8')
    assert plan_teachers(agkd, REPO_ROOT)[1][agkd[3]['config']] == agkd[0]['config']


def test_report_only_reads_the_seed_results_of_the_work_dir(tmp_path, monkeypatch):
    """The table of an unfinished multi-seed run: rows and seeds with a result.json, nothing
    trained; a row without any result is left out."""
    import torch
    from mmdet.registry import MODELS
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from mmdet_lite.benchmark.ablation import AblationSettings, run_ablation, run_fingerprint
    tool = load_tool('reproduce_mobile_centernet')
    init_default_scope('mmdet')
    (tmp_path / 'data' / 'annotations').mkdir(parents=True)
    (tmp_path / 'data' / 'annotations' / 'instances_val.json').write_text('{}')
    specs = tool.runs(['w16', 'cbfl-neg', 'cbfl'])
    for spec, maps in zip(specs[:2], ([0.10, 0.20, 0.30], [0.15, 0.30, 0.35]), strict=True):
        model = MODELS.build(Config.fromfile(osp.join(REPO_ROOT, spec['config'])).model)
        for seed, m in enumerate(maps):
            d = tmp_path / 'wd' / osp.splitext(osp.basename(spec['config']))[0] / f'seed_{seed}'
            d.mkdir(parents=True)
            ap = dict(mAP50=m, vehicle=m, pedestrian=m, scooter=m, bicycle=m)
            (d / 'result.json').write_text(json.dumps(dict(ap=ap)))
            torch.save(dict(state_dict=model.state_dict()), d / 'epoch_3.pth')
            (d / 'fingerprint.txt').write_text(run_fingerprint(
                Config.fromfile(osp.join(REPO_ROOT, spec['config'])), [f'randomness.seed={seed}']))
    settings = dict(work_dir=str(tmp_path / 'wd'), root=REPO_ROOT, data=str(tmp_path / 'data'),
                    latency_shape=(64, 96), seeds=3, report_only=True)
    text = run_ablation(specs, AblationSettings(**settings))
    # differences 0.05, 0.10, 0.05 -> +0.067 ± 0.017: 4 SE, but t = 4.00 with 2 degrees of
    # freedom is p = 1 - 4 / sqrt(18) = 0.057: not resolved
    assert ('| HRNet-W16 + CBFL, w_c on the whole channel (Eq. 3 as printed) | 3 | 0.267 ± 0.104 |'
            in text)
    assert ('| HRNet-W16 | +0.067 ± 0.017 | +4.00 | 0.057 | [-0.005, +0.138] | not resolved |'
            in text)
    assert 'HRNet-W16 + CBFL |' not in text  # no result yet: not in the table
    # one process's share of a table split by seed (--only-seeds): those seeds only (the cost
    # columns, measured above, are not measured again)
    from mmdet_lite.benchmark.ablation import runner
    monkeypatch.setattr(runner, 'model_complexity', lambda *a: dict(params_M=1.0, gmacs=1.0))
    monkeypatch.setattr(runner, 'ms_per_image', lambda *a: 1.0)
    text = run_ablation(specs, AblationSettings(**settings, only_seeds=[1]))
    assert '| HRNet-W16 + CBFL, w_c on the whole channel (Eq. 3 as printed) | 1 | 0.300 |' in text
    with pytest.raises(ValueError, match='only_seeds'):
        AblationSettings(**settings, only_seeds=[3])
