"""Tests for tools/publish_checkpoint.py: what it keeps, what it drops, what it refuses."""

from pathlib import Path

import pytest
import torch

from projects_tests.conftest import load_tool

tool = load_tool('publish_checkpoint')


@pytest.fixture()
def trained(tmp_path: Path) -> Path:
    """A checkpoint shaped like mmengine's: weights, meta and the optimizer's state."""
    path = tmp_path / 'epoch_4.pth'
    torch.save(dict(state_dict={'backbone.conv.weight': torch.ones(2, 3),
                                'backbone.bn.num_batches_tracked': torch.tensor(7),
                                'bbox_head.fc.weight': torch.zeros(4)},
                    meta=dict(epoch=4, dataset_meta=dict(classes=('a', 'b'))),
                    optimizer=dict(state={0: dict(exp_avg=torch.ones(2, 3))})), path)
    return path


def test_keeps_prefixed_weights_and_meta_drops_optimizer(trained: Path, tmp_path: Path):
    out = tmp_path / 'published.pth'
    sha = tool.publish(str(trained), str(out), prefix='backbone.')
    ckpt = torch.load(out, weights_only=True)
    assert set(ckpt) == {'state_dict', 'meta'}
    assert set(ckpt['state_dict']) == {'backbone.conv.weight', 'backbone.bn.num_batches_tracked'}
    assert torch.equal(ckpt['state_dict']['backbone.conv.weight'], torch.ones(2, 3))
    assert ckpt['meta']['dataset_meta']['classes'] == ('a', 'b')
    assert ckpt['meta']['published_prefix'] == 'backbone.'
    assert len(sha) == 64 and not (tmp_path / 'published.pth.tmp').exists()
    # no prefix: the whole model
    tool.publish(str(trained), str(out))
    assert len(torch.load(out, weights_only=True)['state_dict']) == 3


def test_refuses_its_input_and_an_empty_prefix_match(trained: Path, tmp_path: Path):
    with pytest.raises(SystemExit, match='is the input'):
        tool.publish(str(trained), str(trained), prefix='backbone.')
    with pytest.raises(SystemExit, match="start with 'neck.'"):
        tool.publish(str(trained), str(tmp_path / 'x.pth'), prefix='neck.')
    assert torch.load(trained, weights_only=True)['meta']['epoch'] == 4  # input untouched
