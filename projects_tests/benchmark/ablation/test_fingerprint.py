"""The ablation runner never mixes runs of another configuration into a table."""

import shutil

import pytest
from mmengine.config import Config

from mmdet_lite.benchmark.ablation import check_fingerprint, run_fingerprint


@pytest.fixture()
def config(tmp_path):
    """A config that loads a 'backbone' file, as the synthetic W16 rows load the shipped one."""
    (tmp_path / 'weights.pth').write_bytes(b'first')
    path = tmp_path / 'cfg.py'
    path.write_text("model = dict(backbone=dict(init_cfg=dict(type='Pretrained', "
                    f"checkpoint='{tmp_path / 'weights.pth'}')))\nwork_dir = 'a'\n"
                    'randomness = dict(seed=None)\n')
    return path


def test_fingerprint_follows_content_not_paths(config, tmp_path):
    fp = run_fingerprint(Config.fromfile(config), ['randomness.seed=0'])
    assert fp == run_fingerprint(Config.fromfile(config), ['randomness.seed=0', 'work_dir=b'])
    assert fp != run_fingerprint(Config.fromfile(config), ['randomness.seed=1'])
    moved = tmp_path / 'moved.pth'  # the same weights elsewhere (another checkout)
    shutil.copy(tmp_path / 'weights.pth', moved)
    assert fp == run_fingerprint(Config.fromfile(config), [
        'randomness.seed=0', f'model.backbone.init_cfg.checkpoint={moved}'])
    (tmp_path / 'weights.pth').write_bytes(b'retrained')
    assert fp != run_fingerprint(Config.fromfile(config), ['randomness.seed=0'])


def test_check_fingerprint(tmp_path):
    run = tmp_path / 'seed_0'
    run.mkdir()
    check_fingerprint(str(run), 'abc')  # nothing to reuse: nothing to check
    (run / 'result.json').write_text('{}')
    with pytest.raises(SystemExit, match='no fingerprint.txt'):
        check_fingerprint(str(run), 'abc')
    assert not (run / 'fingerprint.txt').exists()  # refused, nothing recorded
    (run / 'fingerprint.txt').write_text('abc\n')
    check_fingerprint(str(run), 'abc')
    with pytest.raises(SystemExit, match='another configuration'):
        check_fingerprint(str(run), 'abd')
