"""AttentionDistiller: Eq. (1)-(2) on SSD's own samples, Eq. (5), gradients, student checkpoints."""

import math
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
import torch.nn.functional as F
from mmdet.registry import MODELS
from mmdet.structures import DetDataSample
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint, save_checkpoint
from mmengine.runner.checkpoint import _load_checkpoint, get_state_dict
from mmengine.structures import InstanceData

import mmdet_lite  # noqa: F401
from mmdet_lite.engine.hooks import DistillerHook
from mmdet_lite.models.distillers import DistillationError
from projects_tests.conftest import CLASSES, REPO_ROOT, tool_main
from projects_tests.models.losses.test_attention_imitation_loss import naive_attention_map

CFG_DIR = osp.join(REPO_ROOT, 'configs/attention_kd')
STUDENT = osp.join(CFG_DIR, 'ssd300_vgg16-1-8_synthetic.py')
ATT = osp.join(CFG_DIR, 'attentiondis_ssd300_vgg16-teacher_vgg16-1-8-student_synthetic.py')
SIZE = (128, 224)


def write_teacher(tmp_path, name='teacher', classes=CLASSES, base='ssd300_vgg16-1-4_synthetic.py',
                  extra=''):
    """A stand-in teacher (the 1/4-width SSD, fast on CPU) and its checkpoint."""
    cfg_path = tmp_path / f'{name}.py'
    cfg_path.write_text(
        f"_base_ = '{osp.join(CFG_DIR, base)}'\n"
        f"model = dict(bbox_head=dict(num_classes={len(classes)}))\n"
        f"metainfo = dict(classes={tuple(classes)!r})\n"
        "train_dataloader = dict(dataset=dict(metainfo=metainfo))\n" + extra)
    model = MODELS.build(Config.fromfile(str(cfg_path)).model)
    model.init_weights()
    ckpt = str(tmp_path / f'{name}.pth')
    torch.save(dict(meta=dict(dataset_meta=dict(classes=tuple(classes))),
                    state_dict=model.state_dict()), ckpt)
    return str(cfg_path), ckpt, model


def model_cfg(teacher_cfg, teacher_ckpt, path=ATT, **overrides):
    cfg = Config.fromfile(path).model
    # random weights: the synthetic backbone pre-training is not built on a fresh clone
    cfg.backbone.init_cfg = None
    cfg.teacher = dict(config=teacher_cfg, checkpoint=teacher_ckpt)
    cfg.update(overrides)
    return cfg


def build_distiller(teacher_cfg, teacher_ckpt, path=ATT, **overrides):
    """The distiller, its teacher's classes checked as DistillerHook does before training."""
    model = MODELS.build(model_cfg(teacher_cfg, teacher_ckpt, path, **overrides))
    model.check_classes(CLASSES)
    return model


def batch(num_imgs=2, size=SIZE):
    inputs, samples = [], []
    g = torch.Generator().manual_seed(0)
    for k in range(num_imgs):
        inputs.append(torch.randint(0, 255, (3, *size), dtype=torch.uint8, generator=g))
        s = DetDataSample(metainfo=dict(img_shape=size, ori_shape=size, pad_shape=size,
                                        batch_input_shape=size, scale_factor=(1.0, 1.0)))
        s.gt_instances = InstanceData(
            bboxes=torch.tensor([[4.0, 6.0, 40.0, 50.0], [100.0, 20.0, 180.0, 120.0 - 20 * k]]),
            labels=torch.tensor([k % 4, 1]))
        samples.append(s)
    return dict(inputs=inputs, data_samples=samples)


@pytest.fixture(scope='module')
def teacher(tmp_path_factory):
    init_default_scope('mmdet')
    return write_teacher(tmp_path_factory.mktemp('ssd_teacher'))


@pytest.fixture(scope='module')
def distiller(teacher):
    model = build_distiller(*teacher[:2])
    model.init_weights()
    return model


def test_gradients_reach_student_and_adapters_only(distiller, teacher):
    model, ref = distiller, teacher[2]
    model.train()
    assert not model.teacher.training
    teacher_ids = {id(p) for p in model.teacher.parameters()}
    optim = build_optim_wrapper(model, dict(optimizer=dict(type='SGD', lr=0.01)))
    in_optim = {id(p) for g in optim.optimizer.param_groups for p in g['params']}
    assert not teacher_ids & in_optim
    assert {id(p) for p in model.adapters.parameters()} <= in_optim
    assert not any(k.startswith('teacher') for k in model.state_dict())

    model.zero_grad()
    data = model.data_preprocessor(batch(), training=True)
    losses = model(**data, mode='loss')
    assert {'loss_cls', 'loss_bbox', 'loss_distill', 'attn_cover'} <= set(losses)
    losses['loss_distill'].backward()
    assert all(p.grad is None for p in model.teacher.parameters())
    assert all(p.grad is not None for p in model.adapters.parameters())
    assert model.backbone.features[0].weight.grad.abs().sum() > 0
    # the distillation loss does not reach the prediction layers (they only see L_det)
    assert all(p.grad is None or p.grad.abs().sum() == 0 for p in model.bbox_head.parameters())
    for (k, v), (_, v_ref) in zip(model.teacher.state_dict().items(),
                                  ref.state_dict().items(), strict=True):
        assert torch.equal(v, v_ref), k  # BN statistics of the teacher untouched


def naive_maps(model, cls_scores, data):
    """Eq. (1)-(2) from mmdet's own per-image SSD sample selection, with Python loops."""
    head = model.bbox_head
    samples = data['data_samples']
    metas = [s.metainfo for s in samples]
    gts = [s.gt_instances for s in samples]
    sizes = [c.shape[-2:] for c in cls_scores]
    anchors, valid = head.get_anchors(sizes, metas, device='cpu')
    labels_l, weights_l, _, _, avg_factor = head.get_targets(anchors, valid, gts, metas)
    n = len(samples)
    scores = torch.cat([s.permute(0, 2, 3, 1).reshape(n, -1, head.cls_out_channels)
                        for s in cls_scores], 1)
    labels = torch.cat(labels_l, -1).view(n, -1)
    lw = torch.cat(weights_l, -1).view(n, -1)
    counts = [len(a) for a in anchors[0]]
    level_of = torch.cat([torch.full((c,), m) for m, c in enumerate(counts)])
    flat_anchors = torch.cat(anchors[0])
    maps = [torch.zeros(n, *s, dtype=torch.float64) for s in sizes]
    for b in range(n):
        loss_all = F.cross_entropy(scores[b], labels[b], reduction='none') * lw[b]
        pos = ((labels[b] >= 0) & (labels[b] < head.num_classes)).nonzero().view(-1)
        neg = (labels[b] == head.num_classes).nonzero().view(-1)
        k = min(3 * len(pos), len(neg))
        _, top = loss_all[neg].topk(k)
        # the selection is SSD's: its loss_cls equals the sum over these samples / avg_factor
        chosen = torch.cat([pos, neg[top]])
        ref_loss = head.loss_by_feat_single(
            scores[b], torch.zeros(len(loss_all), 4), flat_anchors, labels[b], lw[b],
            torch.zeros(len(loss_all), 4), torch.zeros(len(loss_all), 4), avg_factor)[0]
        assert loss_all[chosen].sum().item() / avg_factor == pytest.approx(ref_loss.item(),
                                                                           rel=1e-5)
        for m in range(len(sizes)):
            idx = [int(i) for i in chosen if level_of[i] == m]
            w = torch.tensor([min(15.0, 0.05 * (1 - math.exp(-float(loss_all[i]))) ** 2
                                  * float(loss_all[i])) for i in idx])
            maps[m][b] = naive_attention_map(flat_anchors[idx], w, tuple(sizes[m]),
                                             head.prior_generator.strides[m])
    return maps


def test_attention_maps_match_naive_ssd_selection(distiller):
    model = distiller
    model.train()
    data = model.data_preprocessor(batch(), training=True)
    with torch.no_grad():
        cls_scores, _ = model.bbox_head(model.extract_feat(data['inputs']))
    samples = data['data_samples']
    got = model.attention_maps(cls_scores, [s.gt_instances for s in samples],
                               [s.metainfo for s in samples])
    ref = naive_maps(model, cls_scores, data)
    assert len(got) == 5
    for g, r in zip(got, ref, strict=True):
        assert g.shape == r.shape and not g.requires_grad
        assert torch.allclose(g.double(), r, atol=1e-6)
    assert sum(float((g > 0).sum()) for g in got) > 0


def test_loss_is_eq5_on_adapted_features(distiller):
    model = distiller
    data = model.data_preprocessor(batch(), training=True)
    torch.manual_seed(0)
    losses = model(**data, mode='loss')
    with torch.no_grad():
        feats = model.extract_feat(data['inputs'])
        t_feats = model.teacher.extract_feat(data['inputs'])
        cls_scores, _ = model.bbox_head(feats)
        samples = data['data_samples']
        maps = model.attention_maps(cls_scores, [s.gt_instances for s in samples],
                                    [s.metainfo for s in samples])
        adapted = [a(f) for a, f in zip(model.adapters, feats, strict=True)]
        n = len(samples)
        ref = sum(((t - s) * a[:, None]).pow(2).sum() / s[0].numel()
                  for s, t, a in zip(adapted, t_feats, maps, strict=True)) / (2 * n)
    assert losses['loss_distill'].item() == pytest.approx(ref.item(), rel=1e-4)


def test_simpledis_uses_uniform_weights(teacher):
    model = build_distiller(*teacher[:2], attention=False)
    model.init_weights()
    data = model.data_preprocessor(batch(), training=True)
    losses = model(**data, mode='loss')
    assert 'attn_cover' not in losses
    with torch.no_grad():
        feats = model.extract_feat(data['inputs'])
        t_feats = model.teacher.extract_feat(data['inputs'])
        ref = model.loss_distill([a(f) for a, f in zip(model.adapters, feats, strict=True)],
                                 t_feats, None)
    assert losses['loss_distill'].item() == pytest.approx(ref.item(), rel=1e-4)
    simpledis = 'simpledis_ssd300_vgg16-teacher_vgg16-1-8-student_synthetic.py'
    assert Config.fromfile(osp.join(CFG_DIR, simpledis)).model.attention is False


def test_guided_levels_subset(teacher):
    model = build_distiller(*teacher[:2], guided_levels=(0, 2))
    model.init_weights()  # SSDNeck's L2Norm scale is uninitialised memory before this
    assert len(model.adapters) == 2 and model.adapters[1][0].in_channels == 64
    data = model.data_preprocessor(batch(), training=True)
    assert torch.isfinite(model(**data, mode='loss')['loss_distill'])


def test_checkpoints_load_strict_into_plain_student_and_resume(distiller, tmp_path):
    model = distiller
    hook = DistillerHook()
    runner = SimpleNamespace(model=model)
    ckpt = dict(meta=dict(), state_dict=get_state_dict(model))
    assert any(k.startswith('adapters.') for k in ckpt['state_dict'])
    hook.before_save_checkpoint(runner, ckpt)
    path = str(tmp_path / 'epoch_1.pth')
    save_checkpoint(ckpt, path)

    student = MODELS.build(Config.fromfile(STUDENT).model)
    load_checkpoint(student, path, strict=True)  # no adapter keys, nothing missing
    for k, v in student.state_dict().items():
        assert torch.equal(v, model.state_dict()[k]), k
    model.eval()
    student.eval()
    data = model.data_preprocessor(batch(1), training=False)
    with torch.no_grad():
        a = model(**data, mode='predict')[0].pred_instances
        b = student(**data, mode='predict')[0].pred_instances
    assert len(a) > 0 and torch.equal(a.bboxes, b.bboxes) and torch.equal(a.scores, b.scores)

    # resume: the adaptation layers come back from the checkpoint
    loaded = _load_checkpoint(path, map_location='cpu')
    hook.after_load_checkpoint(runner, loaded)
    assert 'distiller_state_dict' not in loaded
    missing = set(model.state_dict()) - set(loaded['state_dict'])
    assert not missing
    for k in model.state_dict():
        if k.startswith('adapters.'):
            assert torch.equal(loaded['state_dict'][k], model.state_dict()[k])


def test_start_up_errors(tmp_path, teacher):
    teacher_cfg, teacher_ckpt, _ = teacher
    with pytest.raises(DistillationError, match='missing.pth.*not found.*Train the teacher'):
        build_distiller(teacher_cfg, str(tmp_path / 'missing.pth'))
    cfg3, ckpt3, _ = write_teacher(tmp_path, 'three', classes=CLASSES[:3])
    with pytest.raises(DistillationError, match='3 classes, the student 4'):
        build_distiller(cfg3, ckpt3)
    swapped = (CLASSES[1], CLASSES[0], *CLASSES[2:])
    cfg_s, ckpt_s, _ = write_teacher(tmp_path, 'swapped', classes=swapped)
    with pytest.raises(DistillationError, match='differ from the student classes'):
        build_distiller(cfg_s, ckpt_s)
    # a teacher with 6 levels (the VOC SSD300 layout) for a 5-level student
    cfg6, ckpt6, _ = write_teacher(
        tmp_path, 'six', extra="model.update(neck=dict(out_channels=(128, 256, 128, 64, 64, 64), "
        "level_strides=(2, 2, 2, 2), level_paddings=(1, 1, 1, 1)), bbox_head=dict("
        "in_channels=(128, 256, 128, 64, 64, 64), anchor_generator=dict(strides=[8, 16, 32, "
        "(56, 64), (112, 128), (224, 128)], ratios=[[2], [2, 3], [2, 3], [2], [2], [2]], "
        "min_sizes=[8, 20, 40, 64, 96, 128], max_sizes=[20, 40, 64, 96, 128, 160])))\n")
    with pytest.raises(DistillationError, match='from 5 feature maps and the teacher head from 6'):
        build_distiller(cfg6, ckpt6)
    # a student whose pooling floors where the teacher's ceils: found on the first batch
    odd = build_distiller(teacher_cfg, teacher_ckpt,
                          backbone=dict(type='ThinSSDVGG', widen_factor=1 / 8,
                                        norm_cfg=dict(type='BN'), ceil_mode=False))
    odd.init_weights()
    data = odd.data_preprocessor(batch(size=(130, 230)), training=True)
    with pytest.raises(DistillationError, match=r'130x230 training input.*guided feature maps'
                                                r'.*same spatial sizes'):
        odd(**data, mode='loss')
    cfg_n, ckpt_n, _ = write_teacher(
        tmp_path, 'norm', extra="model.update(data_preprocessor=dict(std=[58.4, 57.1, 57.4]))\n")
    with pytest.raises(DistillationError, match='std=.*same data_preprocessor'):
        build_distiller(cfg_n, ckpt_n)


@pytest.mark.slow
def test_train_resume_and_test_with_the_plain_student(tmp_path, teacher, monkeypatch, capfd):
    """tools/train.py for an AttentionDis config, --resume, then tools/test.py with the plain
    student config on the distillation checkpoint (strict, no adapter keys)."""
    from mmdet_lite.datasets.synthetic import make_synthetic_dataset
    teacher_cfg, teacher_ckpt, _ = teacher
    make_synthetic_dataset(str(tmp_path / 'data' / 'synthetic'), num_train=8, num_val=4, seed=7)
    small = ['train_dataloader.batch_size=4', 'default_hooks.logger.interval=1'] + [
        f'{split}_dataloader.{key}' for split in ('train', 'val', 'test')
        for key in ('num_workers=0', 'persistent_workers=False')]
    wd = str(tmp_path / 'wd')

    monkeypatch.chdir(tmp_path)

    def run(tool, args):  # in-process: the tools' own start is test_end_to_end.py's
        tool_main(tool, args, monkeypatch)
        captured = capfd.readouterr()
        return captured.out + captured.err

    train = [ATT, '--work-dir', wd, '--cfg-options',
             f'model.teacher.config={teacher_cfg}', f'model.teacher.checkpoint={teacher_ckpt}',
             'model.backbone.init_cfg=None', 'train_cfg.val_interval=5', *small]
    out = run('train', train + ['train_cfg.max_epochs=1'])
    assert 'loss_distill' in out and 'attn_cover' in out, out[-3000:]
    ckpt = torch.load(osp.join(wd, 'epoch_1.pth'), weights_only=True)
    assert not any(k.startswith(('adapters.', 'teacher')) for k in ckpt['state_dict'])
    assert any(k.startswith('adapters.') for k in ckpt['distiller_state_dict'])

    out = run('train', train + ['train_cfg.max_epochs=2', '--resume'])
    assert 'resumed epoch: 1' in out, out[-3000:]
    # the adaptation layers went on training from their checkpointed weights
    ckpt2 = torch.load(osp.join(wd, 'epoch_2.pth'), weights_only=True)
    k = 'adapters.0.0.weight'
    assert not torch.equal(ckpt['distiller_state_dict'][k], ckpt2['distiller_state_dict'][k])

    out = run('test', [STUDENT, osp.join(wd, 'epoch_2.pth'),
                       '--work-dir', str(tmp_path / 'test'), '--cfg-options', *small[2:]])
    assert 'bbox_mAP_50' in out and 'unexpected key' not in out and 'missing keys' not in out
