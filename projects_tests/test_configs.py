"""Every config parses, builds its model, names mmdet_lite in custom_imports; basenames unique."""

import glob
import os.path as osp
from collections import Counter

import pytest
from mmengine.config import Config

import mmdet_lite  # noqa: F401
from mmdet_lite.models.distillers import is_distiller
from mmdet_lite.utils import resolve_config_path
from projects_tests.conftest import REPO_ROOT

CONFIGS = sorted(p for p in glob.glob(osp.join(REPO_ROOT, 'configs', '**', '*.py'), recursive=True)
                 if '_base_' not in p and f'{osp.sep}deploy{osp.sep}' not in p
                 and f'{osp.sep}imagenet{osp.sep}' not in p)
# configs/deploy/ holds mmdeploy deploy configs (no model): tested in projects_tests/deploy/;
# configs/imagenet/ holds mmpretrain configs (backbone pre-trainings): tested in
# projects_tests/tools/test_hrnet_w16_imagenet_recipe.py


def test_config_basenames_are_unique():
    every = glob.glob(osp.join(REPO_ROOT, 'configs', '**', '*.py'), recursive=True)
    dup = [n for n, c in Counter(osp.basename(p) for p in every if '_base_' not in p).items()
           if c > 1]
    assert not dup, f'mim cannot pick between configs named {dup}'


def test_no_config_is_named_by_an_old_name():
    """No tracked file names a config by a name tools/dev/rename_configs.py maps away (re-run
    it after a merge that brings one back)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        'rename_configs', osp.join(REPO_ROOT, 'tools', 'dev', 'rename_configs.py'))
    rename = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rename)
    if not osp.exists(osp.join(REPO_ROOT, '.git')):  # a directory, or a file in a worktree
        pytest.skip('not a git checkout')
    assert rename.check() == 0


def test_custom_imports_stated_once():
    """custom_imports lives in the bases; a config restates it only where no base brings it."""
    restated = []
    for path in CONFIGS:
        with open(path) as f:
            if not any(line.startswith('custom_imports') for line in f):
                continue
        bases = Config._get_base_files(path)  # mmengine's own reading of _base_
        if any('custom_imports' in Config.fromfile(Config._get_cfg_path(b, path)[0])
               for b in bases):
            restated.append(osp.relpath(path, REPO_ROOT))
    assert not restated, f'inherited custom_imports restated in {restated}'


PRETRAIN = [p for p in CONFIGS if p.endswith('_pretrain_synthetic.py')]


@pytest.mark.parametrize('path', PRETRAIN, ids=osp.basename)
def test_pretrain_configs_take_the_shared_recipe(path):
    """A backbone pre-training is its detector config from scratch on data/synthetic_pretrain
    with one of configs/_base_/synthetic_pretrain.py's schedules (375 iterations an epoch)."""
    cfg = Config.fromfile(path)
    root = 'data/synthetic_pretrain/'
    assert cfg.model.backbone.init_cfg is None
    assert cfg.data_root == root
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        assert cfg[key].dataset.data_root == root, key
    for key in ('val_evaluator', 'test_evaluator'):
        assert cfg[key].ann_file == root + 'annotations/instances_val.json', key
    epochs = cfg.train_cfg.max_epochs
    assert epochs in (4, 6) and cfg.max_epochs == epochs
    assert cfg.param_scheduler == cfg[f'pretrain_{epochs}e'].param_scheduler
    assert cfg.param_scheduler[-1].end == epochs * 375


# the plain detector each distiller's student is
STUDENT_TYPES = dict(StructuredKDDistiller='CenterNet', AttentionDistiller='SingleStageDetector',
                     LocalizationDistiller='GFL')


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO_ROOT))
def test_config_builds(path):
    from mmdet.registry import MODELS
    from mmengine.registry import init_default_scope
    cfg = Config.fromfile(path)
    assert cfg.custom_imports == dict(imports=['mmdet_lite'], allow_failed_imports=False)
    init_default_scope('mmdet')
    model_cfg = cfg.model.copy()
    model_cfg.backbone.pop('init_cfg', None)
    if is_distiller(model_cfg.type):
        # the student part builds as the plain detector; the teacher config exists, same
        # classes; DistillerHook checks them against the training set at run time
        teacher = Config.fromfile(resolve_config_path(model_cfg.teacher.config))
        assert teacher.model.bbox_head.num_classes == model_cfg.bbox_head.num_classes
        assert dataset_classes(teacher) == dataset_classes(cfg)
        assert 'DistillerHook' in [h['type'] for h in cfg.get('custom_hooks', [])]
        # the teacher's weights do not depend on the working directory; real-data configs take
        # them from one top-level variable
        ckpt = model_cfg.teacher.checkpoint
        assert osp.isabs(ckpt) or ckpt.startswith(('http://', 'https://')), ckpt
        if 'synthetic' not in osp.basename(path):
            assert cfg.teacher_checkpoint == ckpt
        for key in ('teacher', 'loss_pixel', 'loss_pair', 'teacher_feature_index',
                    'loss_distill', 'attention', 'w_max', 'alpha', 'beta', 'guided_levels'):
            model_cfg.pop(key, None)
        model_cfg.type = STUDENT_TYPES[cfg.model.type]
    MODELS.build(model_cfg)
    assert cfg.model.bbox_head.num_classes == len(dataset_classes(cfg))
    check_coco_evaluation(cfg)
    check_best_checkpoint_metric(path, cfg)
    if 'synthetic' not in osp.basename(path):
        check_stated_gpus(path, cfg)


def check_stated_gpus(path: str, cfg: Config) -> None:
    """A real-data config's first comment lines state the GPUs x images per GPU it was written
    for, and ``auto_scale_lr.base_batch_size`` is their product (what --auto-scale-lr scales
    from), with the data loader's own batch as the images per GPU."""
    import re
    head = []
    with open(path) as f:
        for line in f:
            if not line.startswith('#'):
                break
            head.append(line)
    found = re.search(r'Trained on (\d+) GPUs x (\d+) images', ''.join(head))
    assert found, f'{osp.basename(path)} does not state its GPUs x batch in its first lines'
    gpus, per_gpu = int(found[1]), int(found[2])
    assert per_gpu == cfg.train_dataloader.batch_size
    assert gpus * per_gpu == cfg.auto_scale_lr.base_batch_size
    assert f'dist_train.sh CONFIG {gpus}' in ''.join(head)
    # and the data it expects (where), the schedule, the paper's figure (or that there is none)
    text = ''.join(head)
    assert '# Data: ' in text and '# Schedule: ' in text, osp.basename(path)
    assert re.search(r'\d+\.\d+ (m?AP|mAP)|Paper: ', text), osp.basename(path)
    data_root = cfg.train_dataloader.dataset.get('data_root') or ''
    assert data_root in text, (osp.basename(path), data_root)


def check_best_checkpoint_metric(path: str, cfg: Config) -> None:
    """The best checkpoint is kept by the metric the paper reports: mAP@[.5:.95] on COCO,
    AP@0.5 on the driving data (Mobile CenterNet) and the synthetic benchmark, VOC mAP on VOC."""
    best = cfg.default_hooks.checkpoint.get('save_best')
    name = osp.basename(path)
    expect = ('coco/bbox_mAP' if name.endswith('_coco.py') else
              'pascal_voc/mAP' if name.endswith('_voc.py') else 'coco/bbox_mAP_50')
    assert best == expect, f'{name} keeps its best checkpoint by {best}, not {expect}'


def dataset_classes(cfg: Config) -> tuple:
    """Class names of the training set: from the config, else the dataset class's METAINFO."""
    from mmdet.registry import DATASETS
    dataset = cfg.train_dataloader.dataset
    while 'dataset' in dataset or 'datasets' in dataset:  # RepeatDataset / ConcatDataset
        dataset = dataset.get('dataset') or dataset.datasets[0]
    if dataset.get('metainfo'):
        return tuple(dataset.metainfo['classes'])
    return tuple(DATASETS.get(dataset.type).METAINFO['classes'])



def _datasets(loader):
    ds = loader.dataset
    while 'dataset' in ds:  # MultiImageMixDataset, RepeatDataset ...
        yield ds
        ds = ds.dataset
    yield ds


def check_coco_evaluation(cfg):
    """A config on COCO-format data uses CheckedCocoDataset + CheckedCocoMetric (labels mapped to
    category ids by name on both sides), the checked image loader in training and the hook that
    counts unreadable images."""
    types = {d.type for key in ('train_dataloader', 'val_dataloader', 'test_dataloader')
             for d in _datasets(cfg[key]) if 'type' in d}
    if not types & {'CocoDataset', 'CheckedCocoDataset'}:
        return  # VOC
    assert 'CocoDataset' not in types
    for key in ('val_evaluator', 'test_evaluator'):
        assert cfg[key].type == 'CheckedCocoMetric', key
    loaders = [t.type for d in _datasets(cfg.train_dataloader) for t in d.get('pipeline', [])
               if 'LoadImage' in t.type]
    assert loaders == ['CheckedLoadImageFromFile'], loaders
    assert cfg.default_hooks.unreadable_images.type == 'UnreadableImageHook'


def _shipped_pretrained(path):
    """(checkpoint, prefix, backbone cfg) of a config whose backbone loads a file of this repo."""
    cfg = Config.fromfile(path)
    init = cfg.model.backbone.get('init_cfg') or {}
    if not isinstance(init, dict) or init.get('type') != 'Pretrained' or '://' in init.checkpoint:
        return None
    return init.checkpoint, init.get('prefix', ''), cfg.model.backbone


SHIPPED = {}
for _path in CONFIGS:
    with open(_path) as _f:
        _text = _f.read()
    # a config that names a backbone file (or inherits 'Pretrained' and points it elsewhere)
    _candidate = 'Pretrained' in _text or 'backbone_checkpoint' in _text
    # a config inherits it from one that says so; parse only the families that do
    if _candidate or 'mobile_centernet' in _path:
        _found = _shipped_pretrained(_path)
        if _found:  # one case per distinct (file, prefix, backbone)
            SHIPPED.setdefault(repr(_found), (_path, _found))


def test_the_synthetic_w16_rows_load_the_shipped_backbone():
    w16 = osp.join(REPO_ROOT, 'configs/mobile_centernet/mcn_hrnet-w16_synthetic.py')
    found = _shipped_pretrained(w16)
    assert found and repr(found) in SHIPPED


@pytest.mark.parametrize('path,found', list(SHIPPED.values()),
                         ids=lambda v: osp.relpath(v, REPO_ROOT) if isinstance(v, str) else '')
def test_shipped_pretrained_backbone_fits(path, found):
    """A backbone checkpoint shipped in the repository (or made by a Makefile target and built
    here) exists, loads weights-only and covers every weight of the backbone with the right
    shape (mmengine's PretrainedInit loads non-strictly and would only warn)."""
    import copy

    from mmdet.registry import MODELS
    from mmengine.registry import init_default_scope

    from mmdet_lite.utils.safe_checkpoint import safe_torch_load
    checkpoint, prefix, backbone_cfg = found
    file = osp.join(REPO_ROOT, checkpoint)
    if not osp.isfile(file):  # not shipped: then a Makefile target makes it (make pretrain-rdl)
        rel = osp.relpath(osp.normpath(file), REPO_ROOT)
        with open(osp.join(REPO_ROOT, 'Makefile')) as f:
            assert rel in f.read(), (f'{path} loads {checkpoint}, which is neither in the '
                                     'repository nor made by a Makefile target')
        pytest.skip(f'{rel} is made by a Makefile target (not shipped) and not built here')
    state = safe_torch_load(file, map_location='cpu')['state_dict']
    loaded = {k[len(prefix):]: v.shape for k, v in state.items() if k.startswith(prefix)}
    init_default_scope('mmdet')
    backbone_cfg = copy.deepcopy(backbone_cfg)
    backbone_cfg.pop('init_cfg')
    expected = {k: v.shape for k, v in MODELS.build(backbone_cfg).state_dict().items()}
    assert loaded == expected
