"""tools/test.py and tools/draw_predictions.py refuse checkpoints that do not fit the config and
never write over their inputs."""

import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmdet.registry import MODELS
from mmengine.config import Config
from mmengine.registry import init_default_scope

import mmdet_lite  # noqa: F401
from mmdet_lite.datasets import DatasetError
from projects_tests.conftest import REPO_ROOT, tool_main

CONFIG = osp.join(REPO_ROOT, 'configs/mobile_centernet/mcn_hrnet-w16_synthetic.py')
OTHER = osp.join(REPO_ROOT, 'configs/effnet_gfl/effnet-gfl_row1_lite0-320-relu6-gflv1_synthetic.py')


@pytest.fixture(scope='module')
def other_ckpt(tmp_path_factory):
    """A checkpoint of another architecture (EfficientNet-Lite0 GFL) for the W16 config."""
    init_default_scope('mmdet')
    path = str(tmp_path_factory.mktemp('ckpt') / 'gfl.pth')
    torch.save(dict(state_dict=MODELS.build(Config.fromfile(OTHER).model).state_dict()), path)
    return path


def test_test_py_refuses_another_architecture(tmp_path, other_ckpt, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no data here: a run that got past the check would need it
    with pytest.raises(SystemExit) as exc:
        tool_main('test', [CONFIG, other_ckpt, '--work-dir', str(tmp_path / 'wd')],
                  monkeypatch)
    err = str(exc.value)
    assert f"error: Checkpoint '{other_ckpt}' does not fit the model of {CONFIG}" in err
    assert 'missing from the checkpoint' in err and 'backbone.' in err
    assert 'wrong config for this checkpoint' in err and '--allow-partial' in err
    # the opt-out goes past the check, on to the test set (absent in this directory)
    with pytest.raises(DatasetError, match='instances_val.json'):
        tool_main('test', [CONFIG, other_ckpt, '--allow-partial', '--work-dir',
                              str(tmp_path / 'wd')], monkeypatch)


def draw(argv, monkeypatch):
    """tools/draw_predictions.py in-process; its exit message."""
    with pytest.raises(SystemExit) as exc:
        tool_main('draw_predictions', argv, monkeypatch)
    return str(exc.value)


def test_draw_predictions_input_checks(tmp_path, other_ckpt, monkeypatch):
    img = str(tmp_path / 'scene.jpg')
    cv2.imwrite(img, np.full((160, 288, 3), 90, np.uint8))
    before = open(img, 'rb').read()
    msg = draw([CONFIG, other_ckpt, img, '--out', img], monkeypatch)
    assert f"--out '{img}' is the input '{img}'" in msg
    msg = draw([CONFIG, other_ckpt, img, '--out', osp.join(str(tmp_path), '.', 'scene.jpg')],
               monkeypatch)
    assert 'is the input' in msg
    assert open(img, 'rb').read() == before
    note = str(tmp_path / 'notes.jpg')
    with open(note, 'w') as f:
        f.write('not an image')
    msg = draw([CONFIG, other_ckpt, note, '--out', str(tmp_path / 'o.jpg')], monkeypatch)
    assert f"'{note}' cannot be read as an image" in msg
    msg = draw([CONFIG, other_ckpt, img, '--out', str(tmp_path / 'o.jpg')], monkeypatch)
    assert 'does not fit the model' in msg and '--allow-partial' in msg
    assert not osp.exists(tmp_path / 'o.jpg')
