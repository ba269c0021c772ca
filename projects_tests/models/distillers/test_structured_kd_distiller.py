"""StructuredKDDistiller: frozen teacher, plain-student checkpoints, start-up errors, gloo DDP."""

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
from mmdet_lite.models.distillers import DistillationError
from projects_tests.conftest import CLASSES, REPO_ROOT, run_dist_train

STUDENT = osp.join(REPO_ROOT, 'configs/mobile_centernet/mcn_hrnet-w16_cbfl_synthetic.py')
KD = osp.join(REPO_ROOT, 'configs/mobile_centernet',
              'kd_mcn_hrnet-w32-teacher_hrnet-w16-student_cbfl_synthetic.py')


def write_teacher(tmp_path, name='teacher', classes=CLASSES, head=None, backbone=None):
    """A small stand-in teacher (the W16 architecture, widened head) and its checkpoint."""
    cfg_path = tmp_path / f'{name}.py'
    head = dict(feat_channels=48, num_classes=len(classes), **(head or {}))
    cfg_path.write_text(
        f"_base_ = '{osp.join(REPO_ROOT, 'configs/mobile_centernet/mcn_hrnet-w16_synthetic.py')}'\n"
        f"model = dict(bbox_head={head!r}, backbone={backbone or {}!r})\n"
        f"metainfo = dict(classes={tuple(classes)!r})\n"
        "train_dataloader = dict(dataset=dict(metainfo=metainfo))\n")
    cfg = Config.fromfile(str(cfg_path))
    model = MODELS.build(cfg.model)
    model.init_weights()
    ckpt = str(tmp_path / f'{name}.pth')
    torch.save(dict(meta=dict(dataset_meta=dict(classes=tuple(classes))),
                    state_dict=model.state_dict()), ckpt)
    return str(cfg_path), ckpt, model


def kd_model_cfg(teacher_cfg, teacher_ckpt, **overrides):
    cfg = Config.fromfile(KD).model
    cfg.teacher = dict(config=teacher_cfg, checkpoint=teacher_ckpt)
    # unit tests run without the runner's ClassBalancedWeightsHook
    cfg.bbox_head.loss_center_heatmap.class_weights = [1.0, 2.0, 4.0, 10.0]
    cfg.update(overrides)
    return cfg


def build_kd(teacher_cfg, teacher_ckpt, **overrides):
    """The KD model, its teacher's classes checked against the training set's (DistillerHook's
    job in a run)."""
    model = MODELS.build(kd_model_cfg(teacher_cfg, teacher_ckpt, **overrides))
    model.check_classes(CLASSES)
    return model


def batch(num_imgs=2, size=(64, 96)):
    inputs, samples = [], []
    for k in range(num_imgs):
        inputs.append(torch.randint(0, 255, (3, *size), dtype=torch.uint8))
        s = DetDataSample(metainfo=dict(img_shape=size, ori_shape=size, pad_shape=size,
                                        batch_input_shape=size))
        s.gt_instances = InstanceData(bboxes=torch.tensor([[4.0, 6.0, 40.0, 50.0]]),
                                      labels=torch.tensor([k % 4]))
        samples.append(s)
    return dict(inputs=inputs, data_samples=samples)


@pytest.fixture(scope='module')
def teacher(tmp_path_factory):
    init_default_scope('mmdet')
    return write_teacher(tmp_path_factory.mktemp('teacher'))


def test_teacher_frozen_and_outside_the_module_tree(teacher):
    teacher_cfg, teacher_ckpt, ref = teacher
    model = build_kd(teacher_cfg, teacher_ckpt)
    model.init_weights()  # must not touch the teacher's loaded weights
    t = model.teacher
    for (name, p), (_, p_ref) in zip(t.state_dict().items(), ref.state_dict().items(), strict=True):
        assert torch.equal(p, p_ref), name
    assert all(not p.requires_grad for p in t.parameters())
    model.train()
    assert model.training and model.backbone.training and not t.training
    assert not any(m.training for m in t.modules())

    teacher_ids = {id(p) for p in t.parameters()}
    assert not teacher_ids & {id(p) for p in model.parameters()}
    assert not any(k.startswith('teacher') for k in model.state_dict())
    optim = build_optim_wrapper(model, dict(optimizer=dict(type='Adam', lr=1e-3)))
    in_optim = {id(p) for group in optim.optimizer.param_groups for p in group['params']}
    assert not teacher_ids & in_optim

    data = model.data_preprocessor(batch(), training=True)
    losses = model(**data, mode='loss')
    assert {'loss_center_heatmap', 'loss_wh', 'loss_offset', 'loss_kd_pixel',
            'loss_kd_pair'} <= set(losses)
    sum(losses.values()).backward()
    assert all(p.grad is None for p in t.parameters())
    assert model.backbone.conv1.weight.grad is not None
    # BN statistics of the teacher did not move in the student's training step
    for (name, b), (_, b_ref) in zip(t.state_dict().items(), ref.state_dict().items(), strict=True):
        assert torch.equal(b, b_ref), name
    # .to() moves the teacher with the student
    model.double()
    assert next(t.parameters()).dtype == torch.float64


def test_kd_losses_use_teacher_outputs(teacher, monkeypatch):
    teacher_cfg, teacher_ckpt, _ = teacher
    model = build_kd(teacher_cfg, teacher_ckpt)
    data = model.data_preprocessor(batch(), training=True)
    feat_s, logits_s, _, _ = model.student_outputs(data['inputs'])
    feat_t, logits_t = model.teacher_outputs(data['inputs'])
    losses = model(**data, mode='loss')
    assert losses['loss_kd_pixel'].item() == pytest.approx(
        model.loss_pixel(logits_s, logits_t).item(), rel=1e-5)
    assert losses['loss_kd_pair'].item() == pytest.approx(
        model.loss_pair(feat_s, feat_t).item(), rel=1e-5)
    assert model.loss_pair.loss_weight == 10.0 and model.loss_pixel.loss_weight == 0.1


def test_kd_checkpoint_loads_strict_into_plain_student(teacher, tmp_path):
    teacher_cfg, teacher_ckpt, _ = teacher
    kd = build_kd(teacher_cfg, teacher_ckpt)
    kd.init_weights()
    student = MODELS.build(Config.fromfile(STUDENT).model)
    student.load_state_dict(kd.state_dict(), strict=True)
    kd.eval()
    student.eval()
    data = kd.data_preprocessor(batch(1), training=False)
    with torch.no_grad():
        a = kd(**data, mode='predict')[0].pred_instances
        b = student(**data, mode='predict')[0].pred_instances
    assert torch.equal(a.bboxes, b.bboxes) and torch.equal(a.scores, b.scores)


def test_teacher_config_resolves_from_another_cwd(tmp_path, monkeypatch, teacher):
    _, teacher_ckpt, _ = teacher
    monkeypatch.chdir(tmp_path)
    # the synthetic W16 config has the same classes: a valid (if odd) teacher config path
    cfg = kd_model_cfg('configs/mobile_centernet/mcn_hrnet-w16_synthetic.py', teacher_ckpt)
    with pytest.raises(DistillationError, match=r'does not fit the teacher config .*'
                                                r'mcn_hrnet-w16_synthetic.py: .*of other shape'):
        MODELS.build(cfg)  # found the config; the stand-in checkpoint's head is wider
    with pytest.raises(FileNotFoundError, match='nope.py'):
        build_kd('configs/mobile_centernet/nope.py', teacher_ckpt)


def test_missing_teacher_checkpoint(teacher, tmp_path):
    teacher_cfg, _, _ = teacher
    with pytest.raises(DistillationError, match='missing.pth.*not found.*Train the teacher'):
        build_kd(teacher_cfg, str(tmp_path / 'missing.pth'))


def test_teacher_with_other_classes(tmp_path, teacher):
    # fewer classes: caught from the head
    cfg3, ckpt3, _ = write_teacher(tmp_path, 'three', classes=CLASSES[:3])
    with pytest.raises(DistillationError, match='3 classes, the student 4'):
        build_kd(cfg3, ckpt3)
    # same number, other order: caught from the names
    swapped = (CLASSES[1], CLASSES[0]) + CLASSES[2:]
    cfg_sw, ckpt_sw, _ = write_teacher(tmp_path, 'swapped', classes=swapped)
    with pytest.raises(DistillationError, match='differ from the student classes'):
        build_kd(cfg_sw, ckpt_sw)
    # a checkpoint trained on other classes than its config says
    teacher_cfg, _, ref = teacher
    bad = str(tmp_path / 'bad_meta.pth')
    torch.save(dict(meta=dict(dataset_meta=dict(classes=swapped)),
                    state_dict=ref.state_dict()), bad)
    with pytest.raises(DistillationError, match='was trained on classes'):
        build_kd(teacher_cfg, bad)
    # a 4-class teacher config with a checkpoint of a 3-class teacher: named before the load
    with pytest.raises(DistillationError, match=r'three.pth was trained on 3 classes .*the '
                                                r'student predicts 4'):
        build_kd(teacher_cfg, ckpt3)
    no_meta = str(tmp_path / 'no_meta.pth')
    torch.save(dict(state_dict=torch.load(ckpt3)['state_dict']), no_meta)
    with pytest.raises(DistillationError, match=r'no_meta.pth does not fit the teacher config.*'
                                                r'other shape.*\[3, .*\[4, '):
        build_kd(teacher_cfg, no_meta)


def test_teacher_feature_of_other_size(tmp_path):
    # a teacher reading HRNet's stride-8 branch: features and heatmaps at half the student's size
    cfg_path, ckpt, _ = write_teacher(tmp_path, 'stride8', head=dict(in_index=1, in_channels=32),
                                      backbone=dict(multiscale_output=True))
    model = build_kd(cfg_path, ckpt)  # checked on the first batch, at its real size
    data = model.data_preprocessor(batch(), training=True)
    with pytest.raises(DistillationError, match=r'64x96 training input.*\(16, 24\).*\(8, 12\)'
                                                r'.*same spatial sizes'):
        model(**data, mode='loss')


def test_training_refused_until_classes_checked(teacher):
    """The class list lives in the dataset only: DistillerHook checks it before training."""
    from types import SimpleNamespace

    from mmdet_lite.engine.hooks import DistillerHook
    teacher_cfg, teacher_ckpt, _ = teacher
    model = MODELS.build(kd_model_cfg(teacher_cfg, teacher_ckpt))
    data = model.data_preprocessor(batch(), training=True)
    with pytest.raises(DistillationError, match="not checked.*dict\\(type='DistillerHook'\\)"):
        model(**data, mode='loss')

    def runner(classes):
        return SimpleNamespace(model=model, train_dataloader=SimpleNamespace(
            dataset=SimpleNamespace(metainfo=dict(classes=classes))))

    swapped = (CLASSES[1], CLASSES[0]) + CLASSES[2:]
    with pytest.raises(DistillationError, match='differ from the student classes'):
        DistillerHook().before_train(runner(swapped))
    DistillerHook().before_train(runner(CLASSES))
    assert model.classes_checked
    assert 'loss_kd_pixel' in model(**data, mode='loss')


def test_bad_teacher_spec():
    with pytest.raises(DistillationError, match='dict\\(config=..., checkpoint=...\\)'):
        build_kd('x.py', 'y.pth', teacher=dict(cfg='x.py'))


@pytest.mark.slow
def test_two_process_gloo_training(tmp_path, teacher):
    """tools/dist_train.sh (torchrun) with 2 CPU processes (gloo) trains a KD config for a few
    iterations; the checkpoint holds the student only."""
    from mmdet_lite.datasets.synthetic import make_synthetic_dataset
    teacher_cfg, teacher_ckpt, _ = teacher
    make_synthetic_dataset(str(tmp_path / 'data' / 'synthetic'), num_train=8, num_val=4, seed=5)
    proc = run_dist_train(KD, tmp_path, 29517, (
        f'model.teacher.config={teacher_cfg}', f'model.teacher.checkpoint={teacher_ckpt}',
        'default_hooks.logger.interval=1'))
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    assert 'Distributed training: True' in out and 'GPU number: 2' in out, out[-3000:]
    assert 'loss_kd_pair' in out and 'loss_kd_pixel' in out, out[-3000:]
    ckpt = torch.load(str(tmp_path / 'wd' / 'epoch_1.pth'), weights_only=True)
    assert not any(k.startswith('teacher') for k in ckpt['state_dict'])
