"""The HRNet-W16 ImageNet recipe (configs/imagenet/hrnet-w16_4xb32_in1k.py, an mmpretrain config):
it loads, its backbone is the student's, and a checkpoint of mmpretrain's own HRNet (its code,
from the installed mmpretrain package, random weights) fills every backbone weight of the W16
student the way ``load_from`` does. ``import mmpretrain`` needs torchvision, which cannot run
beside our CPU torch (and mmdet tries to import it when it is installed), so mmpretrain is
installed off ``sys.path`` (``.venv/test-references``, ``make install``) and its backbone modules
are loaded from their files with a stand-in ``mmpretrain.registry``."""

import importlib.util
import os.path as osp
import sys
import types

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import Registry

from projects_tests.conftest import REPO_ROOT

RECIPE = osp.join(REPO_ROOT, 'configs/imagenet/hrnet-w16_4xb32_in1k.py')
STUDENT = osp.join(REPO_ROOT, 'configs/mobile_centernet/mcn_hrnet-w16_2xb16-60e_bdd100k.py')

REFERENCES = osp.join(sys.prefix, 'test-references')
pytestmark = pytest.mark.skipif(
    not osp.isdir(osp.join(REFERENCES, 'mmpretrain')),
    reason='mmpretrain (requirements/tests-references.txt) not in .venv/test-references: '
           'run make install')


@pytest.fixture(autouse=True)
def references_on_path(monkeypatch):
    """The reference packages' folder on sys.path for this test only (the recipe's
    ``mmpretrain::`` bases are found through it)."""
    monkeypatch.syspath_prepend(REFERENCES)


def mmpretrain_hrnet(monkeypatch):
    """mmpretrain's ``HRNet`` class, loaded from its file with stand-in parent packages."""
    root = osp.join(REFERENCES, 'mmpretrain')
    registry = types.ModuleType('mmpretrain.registry')
    registry.MODELS = Registry('model', scope='mmpretrain_standin')
    for name, path in (('mmpretrain', root), ('mmpretrain.models', osp.join(root, 'models')),
                       ('mmpretrain.models.backbones', osp.join(root, 'models', 'backbones'))):
        package = types.ModuleType(name)
        package.__path__ = [path]
        monkeypatch.setitem(sys.modules, name, package)
    monkeypatch.setitem(sys.modules, 'mmpretrain.registry', registry)
    name = 'mmpretrain.models.backbones.hrnet'
    module_spec = importlib.util.spec_from_file_location(
        name, osp.join(root, 'models', 'backbones', 'hrnet.py'))
    module = importlib.util.module_from_spec(module_spec)
    monkeypatch.setitem(sys.modules, name, module)
    module_spec.loader.exec_module(module)
    for sub in ('resnet', 'base_backbone'):  # loaded by hrnet.py's relative imports
        monkeypatch.setitem(sys.modules, f'mmpretrain.models.backbones.{sub}',
                            sys.modules[f'mmpretrain.models.backbones.{sub}'])
    return module.HRNet


def test_recipe_backbone_is_the_students():
    recipe, student = Config.fromfile(RECIPE), Config.fromfile(STUDENT)
    assert recipe.model.backbone.extra == student.model.backbone.extra
    assert recipe.model.neck[0].in_channels == student.model.backbone.extra.stage4.num_channels


def test_mmpretrain_checkpoint_fills_the_student_backbone(monkeypatch):
    from mmdet.registry import MODELS
    from mmengine.registry import init_default_scope

    import mmdet_lite  # noqa: F401
    hrnet = mmpretrain_hrnet(monkeypatch)
    recipe = Config.fromfile(RECIPE).model.backbone
    torch.manual_seed(0)
    theirs = hrnet(extra=recipe.extra.to_dict()).state_dict()
    ckpt = {f'backbone.{k}': v for k, v in theirs.items()}
    ckpt['head.fc.weight'] = torch.zeros(1000, 2048)  # the classifier's own parts
    init_default_scope('mmdet')
    model_cfg = Config.fromfile(STUDENT).model
    det = MODELS.build(model_cfg)
    missing, unexpected = det.load_state_dict(ckpt, strict=False)  # as mmengine's load_from
    assert missing and all(k.startswith('bbox_head.') for k in missing), missing[:5]
    # only the classifier head and the fuse layers into the lower-resolution outputs, which the
    # student (multiscale_output=False) does not have
    assert all(k.startswith(('head.', 'backbone.stage4.0.fuse_layers.')) for k in unexpected)
    for key, value in det.backbone.state_dict().items():
        assert torch.equal(value, theirs[key]), key
