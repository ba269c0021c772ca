"""LocalizationDistiller: LD against a naive computation, frozen teacher, student checkpoints
that load strictly into the plain GFLv2 config, and the start-up errors."""

import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmdet.registry import MODELS
from mmdet.structures import DetDataSample
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from mmengine.structures import InstanceData

import mmdet_lite  # noqa: F401
from mmdet_lite.models.distillers import DistillationError
from projects_tests.conftest import CLASSES, REPO_ROOT

CFG_DIR = osp.join(REPO_ROOT, 'configs/effnet_gfl')
ROW4 = osp.join(CFG_DIR, 'effnet-gfl_row4_lite1-416-silu-gflv2-amp-sparse24_synthetic.py')
ROW5 = osp.join(CFG_DIR, 'ld_effnet-gfl_lite3-teacher_lite1-student_row5_synthetic.py')
TEACHER = osp.join(CFG_DIR, 'effnet-gfl_teacher_lite3-416-silu-gflv2_synthetic.py')
SIZE = (96, 160)


def write_teacher(tmp_path, name='teacher', classes=CLASSES, head_extra='', model_extra=''):
    cfg_path = tmp_path / f'{name}.py'
    cfg_path.write_text(
        f"_base_ = '{TEACHER}'\n"
        f"model = dict(bbox_head=dict(num_classes={len(classes)}{head_extra}){model_extra})\n"
        # the teacher's backbone pre-training is made by a Makefile target, not shipped
        "model.setdefault('backbone', {})['init_cfg'] = None\n"
        f"metainfo = dict(classes={tuple(classes)!r})\n"
        "train_dataloader = dict(dataset=dict(metainfo=metainfo))\n")
    model = MODELS.build(Config.fromfile(str(cfg_path)).model)
    model.init_weights()
    ckpt = str(tmp_path / f'{name}.pth')
    torch.save(dict(meta=dict(dataset_meta=dict(classes=tuple(classes))),
                    state_dict=model.state_dict()), ckpt)
    return str(cfg_path), ckpt


def model_cfg(teacher_cfg, teacher_ckpt, **overrides):
    cfg = Config.fromfile(ROW5).model
    cfg.teacher = dict(config=teacher_cfg, checkpoint=teacher_ckpt)
    cfg.update(overrides)
    return cfg


def build_distiller(teacher_cfg, teacher_ckpt, **overrides):
    """The distiller, its teacher's classes checked as DistillerHook does before training."""
    model = MODELS.build(model_cfg(teacher_cfg, teacher_ckpt, **overrides))
    model.check_classes(CLASSES)
    return model


def batch():
    g = torch.Generator().manual_seed(0)
    s = DetDataSample(metainfo=dict(img_shape=SIZE, ori_shape=SIZE, pad_shape=SIZE,
                                    batch_input_shape=SIZE, scale_factor=(1.0, 1.0)))
    s.gt_instances = InstanceData(bboxes=torch.tensor([[10.0, 8.0, 60.0, 70.0],
                                                       [90.0, 30.0, 150.0, 90.0]]),
                                  labels=torch.tensor([0, 2]))
    return dict(inputs=[torch.randint(0, 255, (3, *SIZE), dtype=torch.uint8, generator=g)],
                data_samples=[s])


@pytest.fixture(scope='module')
def teacher(tmp_path_factory):
    init_default_scope('mmdet')
    return write_teacher(tmp_path_factory.mktemp('gfl_teacher'))


def test_ld_loss_against_naive(teacher):
    """LD per level against a loop over the positive edges, in both normalisations.
    'reference': mmdet's sum over the positives of the score-weighted KL averaged over the bins;
    'positives': the KL summed over the bins, divided by the sum of the positives' score weights
    (GIoU and DFL's normaliser)."""
    torch.manual_seed(0)
    model = build_distiller(*teacher)
    model.train()
    data = model.data_preprocessor(batch(), True)
    x, samples = data['inputs'], data['data_samples']
    all_losses = {}
    for ld_norm in ('reference', 'positives'):
        model.bbox_head.ld_norm = ld_norm
        all_losses[ld_norm] = model.loss(x, samples)

    head, t_model, T = model.bbox_head, model.teacher, 10.0
    with torch.no_grad():
        cls, reg = head(model.extract_feat(x))
        t_reg = t_model.bbox_head(t_model.extract_feat(x))[1]
    sizes = [tuple(c.shape[-2:]) for c in cls]
    anchors, flags = head.get_anchors(sizes, [s.metainfo for s in samples], device='cpu')
    labels = head.get_targets(anchors, flags, [s.gt_instances for s in samples],
                              [s.metainfo for s in samples])[1]
    n = head.reg_max + 1
    wants, weight_sum = [], 0.0
    for lvl in range(len(sizes)):
        pos = (labels[lvl][0] < head.num_classes).nonzero().flatten().tolist()
        want = 0.0
        for k in pos:
            y, xx = divmod(k, sizes[lvl][1])
            w = cls[lvl][0, :, y, xx].sigmoid().max()
            weight_sum += float(w)
            for e in range(4):
                s_logits = reg[lvl][0, e * n:(e + 1) * n, y, xx]
                t_logits = t_reg[lvl][0, e * n:(e + 1) * n, y, xx]
                p_t = F.softmax(t_logits / T, 0)
                kl = (p_t * (p_t.log() - F.log_softmax(s_logits / T, 0))).sum()
                # mmdet's KL loss averages over the n bins, times T^2; LD sums over the
                # positives' edges weighted by the student's score, / 4 edges, x 0.25
                want += 0.25 * w * kl / n * T * T / 4
        wants.append(float(want))
    assert weight_sum > 0
    for ld_norm, losses in all_losses.items():
        for lvl, want in enumerate(wants):
            if ld_norm == 'positives':  # the divergence over the bins, per unit score weight
                want = want * n / weight_sum
            got = losses['loss_ld'][lvl].item()
            assert abs(got - want) <= 1e-4 * max(abs(want), 1e-6), (ld_norm, lvl)
        assert sum(losses['loss_ld']).item() > 0
    with pytest.raises(ValueError, match="ld_norm must be one of .*'positives'"):
        type(head)(num_classes=4, in_channels=8, ld_norm='sum')


def test_teacher_frozen_and_checkpoint_loads_into_plain_student(teacher, tmp_path):
    model = build_distiller(*teacher)
    assert not any(k.startswith('teacher') for k in model.state_dict())
    assert all(id(p) not in {id(q) for q in model.parameters()}
               for p in model.teacher.parameters())
    optim = build_optim_wrapper(model, dict(optimizer=dict(type='SGD', lr=0.01)))
    model.train()
    t_before = {k: v.clone() for k, v in model.teacher.state_dict().items()}
    model.train_step(batch(), optim)
    assert not model.teacher.training
    assert all(torch.equal(v, model.teacher.state_dict()[k]) for k, v in t_before.items())
    path = str(tmp_path / 'student.pth')
    torch.save(dict(state_dict=model.state_dict()), path)
    plain = MODELS.build(Config.fromfile(ROW4).model)
    load_checkpoint(plain, path, strict=True)
    assert type(plain.bbox_head).__name__ == 'GFLv2Head'


def test_errors_are_clear(teacher, tmp_path):
    cfg, ckpt = teacher
    with pytest.raises(DistillationError, match='not found'):
        build_distiller(cfg, str(tmp_path / 'missing.pth'))
    plain = model_cfg(cfg, ckpt)
    plain.bbox_head.type = 'GFLv2Head'
    plain.bbox_head.pop('loss_ld')
    with pytest.raises(DistillationError, match='GFLv2LDHead'):
        MODELS.build(plain)
    wrong = write_teacher(tmp_path, 'wrong', classes=('a', 'b', 'c', 'd'))
    with pytest.raises(DistillationError, match='classes'):
        build_distiller(*wrong)
    reg = write_teacher(tmp_path, 'reg', head_extra=', reg_max=16')
    with pytest.raises(DistillationError, match='reg_max'):
        build_distiller(*reg)
    strides = write_teacher(
        tmp_path, 'strides',
        model_extra=(', backbone=dict(out_indices=(1, 3, 6)), '
                     'neck=dict(in_channels=[32, 96, 384])'))
    model = build_distiller(*strides)  # checked on the first batch
    with pytest.raises(DistillationError, match=r'training input.*prediction levels.*same '
                                                r'strides'):
        model(**model.data_preprocessor(batch(), training=True), mode='loss')
