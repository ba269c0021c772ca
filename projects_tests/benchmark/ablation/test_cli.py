"""The shared command line of the ``tools/reproduce_*.py``: each tool declares its rows, the
options and the settings they make are the same for all."""

import pytest

from mmdet_lite.benchmark.ablation import AblationSettings, cli, settings_from_args
from projects_tests.conftest import REPO_ROOT, load_tool

# tool -> (default work dir, latency shape, default rows)
DEFAULTS = {
    'reproduce_mobile_centernet': ('work_dirs/ablation_mcn', (320, 576),
                                   ['teacher', 'w16', 'cbfl', 'kd']),
    'reproduce_attention_kd': ('work_dirs/ablation_agkd', (160, 288),
                               ['teacher', 'scratch', 'simpledis', 'attentiondis',
                                'attentiondis-norm', 'attentiondis-lambda160',
                                'attentiondis-norm-lambda15']),
    'reproduce_refinedet_lite': ('work_dirs/ablation_rdl', (160, 288), ['c', 'o', 'o-target']),
    'reproduce_effnet_gfl': ('work_dirs/ablation_effnet', (160, 288),
                             ['teacher', '3', '4-dense', '4', '5', '5-positives',
                              '5-positives-w1']),
}


@pytest.mark.parametrize('name', sorted(DEFAULTS))
def test_every_tool_gets_the_shared_options(name):
    tool = load_tool(name).TOOL
    args = tool.parser().parse_args([])
    assert (args.work_dir, tuple(args.latency_shape), args.rows) == DEFAULTS[name]
    args = tool.parser().parse_args(['--seeds', '3', '--only-seeds', '2', '0', '--report-only',
                                     '--force', '--cfg-options', 'a=1', '--work-dir', 'w'])
    s = settings_from_args(args, tool.root, 'T', 'N')
    assert s == AblationSettings(work_dir='w', root=REPO_ROOT, force=True, cfg_options=('a=1',),
                                 latency_shape=DEFAULTS[name][1], title='T', note='N', seeds=3,
                                 only_seeds=(0, 2), report_only=True)
    for bad in (['--rows', 'no-such-row'], ['--adopt']):  # --adopt: removed legacy flag
        with pytest.raises(SystemExit):
            tool.parser().parse_args(bad)


def test_ablation_main_runs_the_declared_rows(monkeypatch):
    calls = []
    monkeypatch.setattr(cli, 'run_ablation', lambda runs, s: calls.append((runs, s)) or 'text')
    mod = load_tool('reproduce_attention_kd')
    assert mod.main(['--student', 'vgg16-1-4', '--rows', 'scratch', '--seeds', '2']) == 'text'
    (runs, s), = calls
    assert runs == mod.runs('vgg16-1-4', ['scratch'])
    assert s.seeds == 2 and s.work_dir == 'work_dirs/ablation_agkd' and s.root == REPO_ROOT
    assert s.title == 'Attention-guided KD (Table 1, 1/4 VGG16) on the built-in synthetic benchmark'
    mcn = load_tool('reproduce_mobile_centernet')
    mcn.main(['--rows', 'w16', 'kd', '--latency-shape', '64', '96'])
    runs, s = calls[-1]
    assert runs == mcn.runs(['w16', 'kd']) and s.latency_shape == (64, 96)
    assert (s.title, s.note) == (mcn.TITLE, mcn.NOTE)
