"""ClassBalancedWeightsHook fills 'auto' weights from the dataset; bad config keys are named."""

from types import SimpleNamespace
from unittest.mock import MagicMock

import pytest
import torch
from mmdet.registry import HOOKS, MODELS
from mmengine.config import ConfigDict

import mmdet_lite  # noqa: F401
from mmdet_lite.engine import ClassBalancedWeightsHook
from mmdet_lite.models.losses import class_balanced_weights


class ToyDataset:
    metainfo = dict(classes=('a', 'b', 'c'))

    def __init__(self, labels_per_image):
        self.items = [dict(instances=[dict(bbox_label=lbl, ignore_flag=0) for lbl in labels])
                      for labels in labels_per_image]
        self.items[0]['instances'].append(dict(bbox_label=2, ignore_flag=1))  # ignored: not counted

    def __len__(self):
        return len(self.items)

    def get_data_info(self, idx):
        return self.items[idx]


def make_runner(model, dataset):
    return SimpleNamespace(model=model, train_dataloader=SimpleNamespace(dataset=dataset),
                           logger=MagicMock())


def test_hook_sets_weights_from_counts():
    head = MODELS.build(dict(
        type='CenterNetHRNetHead', num_classes=3, in_channels=8, feat_channels=8,
        loss_center_heatmap=dict(type='ClassBalancedFocalLoss', class_weights='auto'),
        test_cfg=ConfigDict(topk=5, local_maximum_kernel=3)))
    runner = make_runner(head, ToyDataset([[0, 0, 0, 0], [0, 0, 0, 0, 1, 1], [2]]))
    ClassBalancedWeightsHook(W=10.0, gamma=0.75).before_train(runner)
    expect = class_balanced_weights([8, 2, 1], W=10.0, gamma=0.75)
    assert torch.allclose(head.loss_center_heatmap.class_weights, expect)
    msg = runner.logger.info.call_args[0][0]
    assert 'a: 8 boxes -> w=1.000' in msg and 'c: 1 boxes -> w=10.000' in msg


def test_hook_without_auto_loss_is_an_error():
    head = MODELS.build(dict(type='CenterNetHRNetHead', num_classes=3, in_channels=8,
                             feat_channels=8))
    with pytest.raises(RuntimeError, match="class_weights='auto'"):
        ClassBalancedWeightsHook().before_train(make_runner(head, ToyDataset([[0]])))


@pytest.mark.parametrize('registry,cfg,key', [
    (MODELS, dict(type='ClassBalancedFocalLoss', gama=0.5), 'gama'),
    (HOOKS, dict(type='ClassBalancedWeightsHook', w=3), "'w'"),
    (MODELS, dict(type='CenterNetHRNetHead', num_classes=3, in_channels=8, feat_channels=8,
                  in_idx=1), 'in_idx'),
])
def test_unknown_config_key_is_named(registry, cfg, key):
    with pytest.raises(TypeError, match=key) as err:
        registry.build(cfg)
    assert cfg['type'] in str(err.value)
