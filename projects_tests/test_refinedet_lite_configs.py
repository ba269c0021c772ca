"""Every RefineDetLite config (COCO and synthetic, each Table 3 row) trains one iteration and
predicts on CPU, with its own optimizer settings."""

import glob
import os.path as osp

import pytest
import torch
from mmdet.registry import MODELS
from mmdet.structures import DetDataSample
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData

import mmdet_lite  # noqa: F401
from projects_tests.conftest import REPO_ROOT, configs_to_train

CONFIGS = sorted(glob.glob(osp.join(REPO_ROOT, 'configs/refinedet_lite/*.py')))


def fake_batch(cfg: Config, num_imgs: int = 2, size=None) -> dict:
    """Random images at the config's test size (or ``size``, ``(w, h)``) with two boxes each."""
    resize = next(t for t in cfg.test_pipeline if t['type'] == 'Resize')
    w, h = size or resize['scale']
    g = torch.Generator().manual_seed(0)
    inputs, samples = [], []
    for i in range(num_imgs):
        inputs.append(torch.randint(0, 256, (3, h, w), generator=g, dtype=torch.uint8))
        s = DetDataSample(metainfo=dict(img_shape=(h, w), ori_shape=(h, w), pad_shape=(h, w),
                                        scale_factor=(1.0, 1.0), img_id=i))
        s.gt_instances = InstanceData(
            bboxes=torch.tensor([[10.0, 12.0, 10.0 + w / 3, 12.0 + h / 2],
                                 [w / 2, h / 3, w - 5.0, h - 4.0]]),
            labels=torch.tensor([0, cfg.model.bbox_head.num_classes - 1]))
        samples.append(s)
    return dict(inputs=inputs, data_samples=samples)


@pytest.mark.parametrize('path', configs_to_train(CONFIGS), ids=osp.basename)
def test_config_trains_one_iteration_and_predicts(path):
    torch.manual_seed(0)
    cfg = Config.fromfile(path)
    init_default_scope('mmdet')
    model = MODELS.build(cfg.model)
    head = model.bbox_head
    if getattr(head.loss_odm_cls, 'auto_weights', False):  # ClassBalancedWeightsHook's job
        assert any(h['type'] == 'ClassBalancedWeightsHook' for h in cfg.custom_hooks)
        head.loss_odm_cls.set_class_weights(torch.linspace(1, 10, head.num_classes))
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    if head.multitask is not None:  # Eq. (6) log-variances are trained, without weight decay
        groups = [g for g in optim.optimizer.param_groups
                  if any(p is head.multitask.log_vars for p in g['params'])]
        assert len(groups) == 1 and groups[0]['weight_decay'] == 0
    model.train()
    before = head.odm_cls[0].weight.detach().clone()
    losses = model.train_step(fake_batch(cfg), optim)
    assert all(torch.isfinite(v) for v in losses.values())
    assert not torch.equal(before, head.odm_cls[0].weight)
    model.eval()
    with torch.no_grad():
        results = model.test_step(fake_batch(cfg, 1))
    assert results[0].pred_instances.bboxes.shape[1] == 4
