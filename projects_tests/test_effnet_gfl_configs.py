"""Every EfficientNet-Lite + GFL config (COCO and synthetic, each Table 2 row and the LD teacher)
builds, trains one iteration with its own optimizer wrapper and predicts on CPU."""

import glob
import os.path as osp
import re
from typing import Optional

import pytest
import torch
from mmdet.registry import MODELS
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

import mmdet_lite  # noqa: F401
from mmdet_lite.models.distillers import is_distiller
from projects_tests.conftest import REPO_ROOT, configs_to_train
from projects_tests.test_refinedet_lite_configs import fake_batch

CONFIGS = sorted(glob.glob(osp.join(REPO_ROOT, 'configs/effnet_gfl/*.py')))


def table_row(path: str) -> Optional[str]:
    """``rowN`` of a Table 2 row: ``effnet-gfl_rowN_...``, or row 5, the distillation
    ``ld_effnet-gfl_{teacher}-teacher_{student}-student_rowN_...``; None for a variant of a row
    (``row4-dense``, ``row4-relu6``, ``ld-positives``) and for the teacher."""
    parts = osp.splitext(osp.basename(path))[0].split('_')
    if parts[0] == 'ld':  # the method, then the student's variant
        parts = parts[1:2] + parts[4:]
    if parts[0] != 'effnet-gfl' or not re.fullmatch(r'row\d', parts[1]):
        return None
    return parts[1]


def test_rows_inherit_one_from_the_next():
    for suffix in ('coco', 'synthetic'):
        rows = sorted((p for p in CONFIGS if table_row(p) and p.endswith(f'_{suffix}.py')),
                      key=table_row)
        assert len(rows) == 5, rows
        for prev, row in zip(rows, rows[1:], strict=False):
            with open(row) as f:
                assert f"_base_ = './{osp.basename(prev)}'" in f.read()


def test_table2_columns():
    cfgs = {table_row(p): Config.fromfile(p) for p in CONFIGS
            if p.endswith('_coco.py') and table_row(p)}
    act = {k: c.model.backbone.act_cfg['type'] for k, c in cfgs.items()}
    assert act == dict(row1='ReLU6', row2='Mish', row3='SiLU', row4='SiLU', row5='SiLU')
    assert cfgs['row1'].model.backbone.arch == 'lite0'
    assert all(cfgs[r].model.backbone.arch == 'lite1' for r in ('row2', 'row3', 'row4', 'row5'))
    assert cfgs['row1'].img_scale == (320, 320) and cfgs['row2'].img_scale == (416, 416)
    assert cfgs['row3'].optim_wrapper.type == 'MixedPrecisionOptimWrapper'
    assert cfgs['row3'].model.bbox_head.type == 'GFLHead'
    assert cfgs['row4'].model.bbox_head.type == 'GFLv2Head'
    assert [h['type'] for h in cfgs['row4'].custom_hooks] == ['StructuredSparsityHook']
    assert cfgs['row5'].model.type == 'LocalizationDistiller'
    sched = cfgs['row1']
    assert sched.optim_wrapper.optimizer.lr == 0.16
    warmup = sched.param_scheduler[0]
    assert warmup.end == 500 and abs(warmup.start_factor * 0.16 - 3e-4) < 1e-12
    assert sched.train_dataloader.batch_size * 2 == 128  # 2 GPUs x 64


@pytest.fixture(scope='module')
def teacher_checkpoints(tmp_path_factory):
    """A (random) teacher checkpoint for each row-5 config, built from its teacher config."""
    out = {}
    init_default_scope('mmdet')
    for path in CONFIGS:
        cfg = Config.fromfile(path)
        if not is_distiller(cfg.model.type):
            continue
        t_cfg = Config.fromfile(osp.join(REPO_ROOT, cfg.model.teacher.config))
        ckpt = str(tmp_path_factory.mktemp('teacher') / 'teacher.pth')
        torch.save({'state_dict': MODELS.build(t_cfg.model).state_dict(), 'meta': {}}, ckpt)
        out[path] = ckpt
    return out


@pytest.mark.parametrize('path', configs_to_train(CONFIGS), ids=osp.basename)
def test_config_trains_one_iteration_and_predicts(path, teacher_checkpoints):
    torch.manual_seed(0)
    cfg = Config.fromfile(path)
    init_default_scope('mmdet')
    if path in teacher_checkpoints:
        cfg.model.teacher.checkpoint = teacher_checkpoints[path]
    model = MODELS.build(cfg.model)
    if is_distiller(cfg.model.type):  # DistillerHook's check before training
        model.check_classes(cfg.train_dataloader.dataset.get('metainfo', {}).get('classes', ()))
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    model.train()
    head = model.bbox_head
    before = head.gfl_reg.weight.detach().clone()
    # COCO rows at 160x160 rather than 320 / 416: the same graph, a quarter of the CPU time
    size = (160, 160) if path.endswith('_coco.py') else None
    losses = model.train_step(fake_batch(cfg, size=size), optim)
    assert all(torch.isfinite(v) for v in losses.values())
    if is_distiller(cfg.model.type):
        assert 'loss_ld' in losses
    assert not torch.equal(before, head.gfl_reg.weight)
    model.eval()
    with torch.no_grad():
        results = model.test_step(fake_batch(cfg, 1, size=size))
    assert results[0].pred_instances.bboxes.shape[1] == 4
