"""check_checkpoint_fits: every kind of mismatch is found and named; a fitting checkpoint passes."""

import pytest
import torch
import torch.nn as nn

from mmdet_lite.utils.checkpoint_fit import (
    CheckpointMismatchError,
    check_checkpoint_fits,
    checkpoint_mismatch,
)


def net(out=4):
    return nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.Conv2d(8, out, 1))


def test_mismatch_kinds_against_a_hand_list():
    model = net()
    sd = net(out=10).state_dict()
    sd['module.extra.weight'] = torch.zeros(1)  # DDP prefix is stripped, the key stays extra
    del sd['1.running_mean']
    diff = checkpoint_mismatch(model, dict(state_dict=sd))
    assert diff['missing'] == ['1.running_mean']
    assert diff['unexpected'] == ['extra.weight']
    assert diff['shape'] == [('2.weight', (10, 8, 1, 1), (4, 8, 1, 1)), ('2.bias', (10,), (4,))]
    with pytest.raises(CheckpointMismatchError,
                       match=r"'c.pth' does not fit the model of cfg.py: 2 of other shape, e.g. "
                             r'2.weight \(checkpoint \[10, 8, 1, 1\], model \[4, 8, 1, 1\]\).*'
                             r"1 missing.*running_mean.*1 not in the model.*wrong config.*"
                             r'--allow-partial'):
        check_checkpoint_fits(model, dict(state_dict=sd), 'c.pth', 'cfg.py')


def test_fitting_checkpoint_and_class_check():
    model = net()
    ckpt = dict(state_dict={f'module.{k}': v for k, v in model.state_dict().items()},
                meta=dict(dataset_meta=dict(classes=('a', 'b'))))
    check_checkpoint_fits(model, ckpt, 'c.pth', classes=('a', 'b'))
    check_checkpoint_fits(model, dict(state_dict=model.state_dict()), 'c.pth', classes=('b', 'a'))
    with pytest.raises(CheckpointMismatchError, match=r"trained on classes \['a', 'b'\].*"
                                                      r"evaluates \['b', 'a'\]"):
        check_checkpoint_fits(model, ckpt, 'c.pth', classes=('b', 'a'))
