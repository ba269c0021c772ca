"""Every tensor a module creates after construction or at trace time follows the module's device.

The ``meta`` device stands in for CUDA on a CPU-only machine: an elementwise op, ``torch.where`` or
``torch.cat`` that mixes a meta tensor with a CPU one raises, as CUDA does. It does not catch a
convolution with CPU weights or indexing with a CPU index tensor (both pass on meta), so each
test also asserts that every parameter and buffer (a distiller's teacher included) sits on the
model's device after ``.to('meta')`` and after the hook that fills a buffer. Data-dependent
steps (mmcv's NMS, target assignment) do not run on meta: the NMS of the export post-process
is replaced by an empty selection on the boxes' device.
"""

import os.path as osp
from types import SimpleNamespace
from unittest.mock import MagicMock

import pytest
import torch
from mmdet.registry import MODELS
from mmengine.config import Config
from mmengine.registry import init_default_scope

import mmdet_lite  # noqa: F401
from mmdet_lite.engine import ClassBalancedWeightsHook
from mmdet_lite.export import anchor_end2end
from mmdet_lite.export.head_family import end2end_module, head_family
from mmdet_lite.models.losses.class_weights_mixin import ClassWeightsMixin
from projects_tests.conftest import REPO_ROOT

META = torch.device('meta')
# one config per family, with class_weights='auto' where the family has it; the KD config has a
# teacher built from its own config (a checkpoint is not needed for a device test)
CONFIGS = {
    'centernet': ('configs/mobile_centernet/mcn_hrnet-w16_cbfl_synthetic.py', (160, 288)),
    'refinedet': ('configs/refinedet_lite/refinedet-lite-pp_res2netlite72_synthetic.py',
                  (320, 320)),
    'ssd': ('configs/attention_kd/ssd300_vgg16-1-8_synthetic.py', (300, 300)),
    'gfl': ('configs/effnet_gfl/effnet-gfl_row4-dense_lite1-416-silu-gflv2-amp_synthetic.py',
            (160, 288)),
}


def build(config: str):
    init_default_scope('mmdet')
    cfg = Config.fromfile(osp.join(REPO_ROOT, config))
    return MODELS.build(cfg.model).eval()


def assert_all_on(model: torch.nn.Module, device: torch.device) -> None:
    wrong = [name for name, t in [*model.named_parameters(), *model.named_buffers()]
             if t is not None and t.device != device]
    assert not wrong, f'not on {device}: {wrong[:5]}'


class ToyDataset:
    metainfo = dict(classes=('vehicle', 'pedestrian', 'scooter', 'bicycle'))

    def __len__(self):
        return 2

    def get_data_info(self, idx):
        return dict(instances=[dict(bbox_label=lbl, ignore_flag=0) for lbl in (0, 0, 0, 1, 2, 3)])


@pytest.mark.parametrize('before_to', [False, True], ids=['set-after-to', 'set-before-to'])
def test_class_weights_follow_the_model(before_to):
    """'auto' weights filled by the hook after the runner moved the model (mmengine's order),
    or before: either way on the model's device, and the loss runs there."""
    model = build(CONFIGS['centernet'][0])
    runner = SimpleNamespace(model=model, logger=MagicMock(),
                             train_dataloader=SimpleNamespace(dataset=ToyDataset()))
    if before_to:
        ClassBalancedWeightsHook().before_train(runner)
    model.to(META)
    if not before_to:
        ClassBalancedWeightsHook().before_train(runner)
    assert_all_on(model, META)
    loss = model.bbox_head.loss_center_heatmap
    assert isinstance(loss, ClassWeightsMixin) and loss.class_weights.device == META
    pred = torch.rand(2, 4, 8, 8, device=META)
    target = torch.zeros(2, 4, 8, 8, device=META)
    assert loss(pred, target, avg_factor=3.0).device == META


def test_iou_guided_loss_weights_follow_the_model():
    """RefineDetLite's class-weighted loss ('auto' in the ++ config) the same way."""
    model = build(CONFIGS['refinedet'][0]).to(META)
    losses = [m for m in model.modules() if isinstance(m, ClassWeightsMixin) and m.auto_weights]
    assert losses, 'the ++ config should have an auto-weighted loss'
    runner = SimpleNamespace(model=model, logger=MagicMock(),
                             train_dataloader=SimpleNamespace(dataset=ToyDataset()))
    ClassBalancedWeightsHook().before_train(runner)
    assert_all_on(model, META)


def test_distiller_teacher_follows_the_student(tmp_path):
    """A KD model's teacher (not a registered sub-module) and its adaptation layers move with
    ``.to()``."""
    init_default_scope('mmdet')
    cfg = Config.fromfile(osp.join(
        REPO_ROOT, 'configs/attention_kd',
        'attentiondis_ssd300_vgg16-teacher_vgg16-1-8-student_synthetic.py'))
    teacher_cfg = Config.fromfile(osp.join(REPO_ROOT, cfg.model.teacher.config))
    teacher_cfg.model.backbone.pop('init_cfg', None)
    ckpt = str(tmp_path / 'teacher.pth')
    torch.save(dict(state_dict=MODELS.build(teacher_cfg.model).state_dict()), ckpt)
    cfg.model.teacher = dict(config=osp.join(REPO_ROOT, cfg.model.teacher.config),
                             checkpoint=ckpt)
    kd = MODELS.build(cfg.model).to(META)
    assert_all_on(kd, META)
    assert_all_on(kd.teacher, META)


def _no_nms(boxes, scores, max_per_class, iou_thr, score_thr):  # noqa: ANN001, ANN202
    """Stand-in for the data-dependent NMS: an empty selection, on the boxes' device."""
    return torch.zeros((0, 3), dtype=torch.long, device=boxes.device)


@pytest.mark.parametrize('family', sorted(CONFIGS))
def test_export_post_process_builds_and_runs_on_the_model_device(family, monkeypatch):
    """The end-to-end wrappers (anchors, coder means/stds, lookups, the shape probe) and the
    post-process that mmdeploy's rewriters build at trace time, on a meta model."""
    config, shape = CONFIGS[family]
    model = build(config)
    if family != 'centernet':
        model.bbox_head.test_cfg.nms_pre = 50  # keep the meta top-k small
    model.to(META)
    monkeypatch.setattr(anchor_end2end._OnnxNMS, 'apply', _no_nms)
    wrapper = end2end_module(model, shape)
    assert_all_on(wrapper, META)
    with torch.no_grad():
        dets, labels = wrapper(torch.zeros(1, 3, *shape, device=META))
    assert dets.device == META and labels.device == META
    assert labels.dtype == torch.int32


def test_mmdeploy_style_post_process_on_meta_head(monkeypatch):
    """:class:`AnchorPostProcess` built from a head already on the device (the rewriter path:
    constructed inside the trace), fed the head's own outputs."""
    model = build(CONFIGS['gfl'][0])
    model.bbox_head.test_cfg.nms_pre = 50
    model.to(META)
    monkeypatch.setattr(anchor_end2end._OnnxNMS, 'apply', _no_nms)
    with torch.no_grad():
        outs = model.bbox_head(model.extract_feat(torch.zeros(1, 3, 160, 288, device=META)))
        sizes = [tuple(p.shape[-2:]) for p in outs[0]]
        family = head_family(model.bbox_head)
        post = anchor_end2end.AnchorPostProcess(model.bbox_head, sizes, (160, 288), family)
        assert_all_on(post, META)
        dets, _ = post(family.from_predict_inputs(outs))
    assert dets.device == META
