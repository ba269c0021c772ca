"""LiteDetInferencer: strict weights (opt-out), grey arrays converted, other arrays refused."""

import os.path as osp

import numpy as np
import pytest
import torch
from mmdet.registry import MODELS
from mmengine.config import Config
from mmengine.registry import init_default_scope

import mmdet_lite  # noqa: F401
from mmdet_lite.apis import LiteDetInferencer
from mmdet_lite.utils.checkpoint_fit import CheckpointMismatchError
from projects_tests.conftest import CLASSES, REPO_ROOT

CONFIG = osp.join(REPO_ROOT, 'configs/mobile_centernet/mcn_hrnet-w16_synthetic.py')


def save(tmp_path, name, num_classes=4, classes=CLASSES):
    init_default_scope('mmdet')
    cfg = Config.fromfile(CONFIG)
    cfg.model.bbox_head.num_classes = num_classes
    model = MODELS.build(cfg.model)
    path = str(tmp_path / name)
    torch.save(dict(state_dict=model.state_dict(),
                    meta=dict(dataset_meta=dict(classes=classes))), path)
    return path


def test_strict_weights_and_image_arrays(tmp_path):
    good = save(tmp_path, 'good.pth')
    inferencer = LiteDetInferencer(CONFIG, good, device='cpu', show_progress=False)
    grey = np.random.default_rng(0).integers(0, 255, (160, 288), dtype=np.uint8)
    for img in (grey, grey[..., None]):
        pred = inferencer(img, return_datasamples=True)['predictions'][0]
        assert pred.pred_instances.bboxes.shape[-1] == 4
    with pytest.raises(ValueError, match=r'Input #0: image array of shape \(160, 288, 4\)'):
        inferencer(np.zeros((160, 288, 4), np.uint8))

    other = save(tmp_path, 'other.pth', num_classes=10, classes=tuple('abcdefghij'))
    with pytest.raises(CheckpointMismatchError, match=r"other.pth' was trained on classes"):
        LiteDetInferencer(CONFIG, other, device='cpu', show_progress=False)
    unnamed = save(tmp_path, 'unnamed.pth', num_classes=10, classes=None)
    with pytest.raises(CheckpointMismatchError, match=r'of other shape.*strict=False'):
        LiteDetInferencer(CONFIG, unnamed, device='cpu', show_progress=False)
    LiteDetInferencer(CONFIG, unnamed, device='cpu', show_progress=False, strict=False)
