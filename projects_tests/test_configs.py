"""Every config parses, builds its model, names mmdet_lite in custom_imports; basenames unique."""

import glob
import os.path as osp
from collections import Counter

import pytest
from mmengine.config import Config

import mmdet_lite  # noqa: F401
from mmdet_lite.utils import resolve_config_path
from projects_tests.conftest import REPO_ROOT

CONFIGS = sorted(p for p in glob.glob(osp.join(REPO_ROOT, 'configs', '**', '*.py'), recursive=True)
                 if '_base_' not in p and f'{osp.sep}deploy{osp.sep}' not in p)
# configs/deploy/ holds mmdeploy deploy configs (no model): tested in projects_tests/deploy/


def test_config_basenames_are_unique():
    every = glob.glob(osp.join(REPO_ROOT, 'configs', '**', '*.py'), recursive=True)
    dup = [n for n, c in Counter(osp.basename(p) for p in every if '_base_' not in p).items()
           if c > 1]
    assert not dup, f'mim cannot pick between configs named {dup}'


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO_ROOT))
def test_config_builds(path):
    from mmdet.registry import MODELS
    from mmengine.registry import init_default_scope
    cfg = Config.fromfile(path)
    assert cfg.custom_imports == dict(imports=['mmdet_lite'], allow_failed_imports=False)
    init_default_scope('mmdet')
    model_cfg = cfg.model.copy()
    model_cfg.backbone.pop('init_cfg', None)
    if model_cfg.type == 'StructuredKDDistiller':
        # the student part builds as the plain detector; the teacher config exists, same classes
        teacher = Config.fromfile(resolve_config_path(model_cfg.teacher.config))
        assert teacher.train_dataloader.dataset.metainfo['classes'] == model_cfg.student_classes
        assert teacher.model.bbox_head.num_classes == model_cfg.bbox_head.num_classes
        for key in ('teacher', 'student_classes', 'loss_pixel', 'loss_pair'):
            model_cfg.pop(key)
        model_cfg.type = 'CenterNet'
    if model_cfg.type == 'AttentionDistiller':
        teacher = Config.fromfile(resolve_config_path(model_cfg.teacher.config))
        assert teacher.model.bbox_head.num_classes == model_cfg.bbox_head.num_classes
        assert dataset_classes(teacher) == dataset_classes(cfg)
        for key in ('teacher', 'student_classes', 'loss_distill', 'attention', 'w_max', 'alpha',
                    'beta', 'guided_levels', 'check_shape'):
            model_cfg.pop(key, None)
        model_cfg.type = 'SingleStageDetector'
    if model_cfg.type == 'LocalizationDistiller':  # built with a teacher in test_effnet_gfl_configs
        teacher = Config.fromfile(resolve_config_path(model_cfg.teacher.config))
        assert teacher.model.bbox_head.num_classes == model_cfg.bbox_head.num_classes
        assert dataset_classes(teacher) == dataset_classes(cfg)
        for key in ('teacher', 'student_classes', 'check_shape'):
            model_cfg.pop(key, None)
        model_cfg.type = 'GFL'
    MODELS.build(model_cfg)
    assert cfg.model.bbox_head.num_classes == len(dataset_classes(cfg))
    check_coco_evaluation(cfg)


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
