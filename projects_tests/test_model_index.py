"""The OpenMMLab model index (model-index.yml, configs/*/metafile.yml) and the method pages
(configs/*/README.md): every config of a method folder is listed under its own basename and
exists, every collection's README exists, every relative link of a page resolves, every listed
result is the number its page states, openmim's own parser reads the index, and one model per
collection builds."""

import glob
import os.path as osp
import re

import pytest
import yaml

from projects_tests.conftest import REPO_ROOT

METHODS = ('mobile_centernet', 'refinedet_lite', 'attention_kd', 'effnet_gfl')
INDEX = osp.join(REPO_ROOT, 'model-index.yml')
DATASETS = ('synthetic road scenes (built-in)',
            'synthetic road scenes, pre-training split (built-in)')


def metafile(method: str) -> dict:
    with open(osp.join(REPO_ROOT, 'configs', method, 'metafile.yml')) as f:
        return yaml.safe_load(f)


def method_configs(method: str) -> list:
    return sorted(osp.relpath(p, REPO_ROOT)
                  for p in glob.glob(osp.join(REPO_ROOT, 'configs', method, '*.py')))


def page(method: str) -> str:
    with open(osp.join(REPO_ROOT, 'configs', method, 'README.md')) as f:
        return f.read()


def test_root_index_imports_the_four_metafiles():
    with open(INDEX) as f:
        index = yaml.safe_load(f)
    assert index == {'Import': [f'configs/{m}/metafile.yml' for m in METHODS]}


@pytest.mark.parametrize('method', METHODS)
def test_metafile_lists_every_config_by_its_basename(method):
    """One collection per metafile, whose README exists; its models are exactly the folder's
    configs, each named by its config's basename, in that collection."""
    meta = metafile(method)
    (coll,) = meta['Collections']
    assert coll['README'] == f'configs/{method}/README.md'
    assert osp.isfile(osp.join(REPO_ROOT, coll['README']))
    assert coll['Paper']['Title'] and coll['Metadata']['Training Data']
    configs = [m['Config'] for m in meta['Models']]
    for model in meta['Models']:
        assert osp.isfile(osp.join(REPO_ROOT, model['Config'])), model['Config']
        assert model['Name'] == osp.splitext(osp.basename(model['Config']))[0]
        assert model['In Collection'] == coll['Name']
    assert len(set(configs)) == len(configs)
    assert sorted(configs) == method_configs(method)


@pytest.mark.parametrize('method', METHODS)
def test_results_are_the_method_pages_numbers(method):
    """A result is the mean box AP@0.5 over ``Seeds`` runs on the synthetic benchmark (or a
    pre-training's split), and its page states that number; every config is named on its page."""
    text = page(method)
    for model in metafile(method)['Models']:
        assert model['Name'] + '.py' in text, f'{model["Name"]} not on its page'
        if 'Results' not in model:
            continue
        (res,) = model['Results']
        assert res['Task'] == 'Object Detection'
        assert res['Dataset'] in DATASETS
        assert (res['Dataset'] == DATASETS[1]) == model['Name'].endswith('_pretrain_synthetic')
        assert res['Dataset'] == model['Metadata']['Training Data']
        value = res['Metrics']['bbox_mAP_50']
        assert 0 < value < 1 and model['Metadata']['Seeds'] in (1, 3)
        assert f'{value:.3f}' in text, f'{model["Name"]}: {value} not on its page'


@pytest.mark.parametrize('method', METHODS)
def test_method_page_links_resolve(method):
    """Every relative link of a method page points to a file that exists."""
    base = osp.join(REPO_ROOT, 'configs', method)
    links = re.findall(r'\]\(([^)#\s]+)(?:#[^)]*)?\)', page(method))
    assert links
    missing = [t for t in links if '://' not in t and not osp.exists(osp.join(base, t))]
    assert not missing, missing


def test_mim_reads_the_index():
    """openmim's `mim search` loads model-index.yml with modelindex's ``load`` and tables it with
    ``convert2df``: every config of the four folders is a row, with its collection's fields; the
    only check errors are modelindex's README paths, which it resolves against the metafile's
    folder where OpenMMLab (and mim) write them from the package root."""
    from mim.commands.search import convert2df
    from modelindex.load_model_index import load

    index = load(INDEX)
    configs = [c for m in METHODS for c in method_configs(m)]
    assert len(index.collections) == len(METHODS)
    assert len(index.models) == len(configs)
    errors = [e for e in index.check(silent=True) if 'Path to README file' not in e]
    assert not errors, errors
    table = convert2df(index)
    assert sorted(table.index) == sorted(osp.basename(c)[:-3] for c in configs)
    row = table.loc['mcn_hrnet-w16_synthetic']
    assert row['model'] == 'mobile centernet'
    assert row['synthetic road scenes (built-in)/bbox_map_50'] == 0.433


def first_plain_model(method: str) -> str:
    """The first listed config with a result whose model is a plain detector."""
    from mmengine.config import Config

    from mmdet_lite.models.distillers import is_distiller
    for model in metafile(method)['Models']:
        if 'Results' in model:
            cfg = Config.fromfile(osp.join(REPO_ROOT, model['Config']))
            if not is_distiller(cfg.model.type):
                return model['Config']
    raise AssertionError(f'no plain detector with a result in {method}')


@pytest.mark.parametrize('method', METHODS)
def test_one_listed_model_per_collection_builds(method):
    """One listed config per collection builds its model (pre-trained backbone weights not
    loaded). Only one: projects_tests/test_configs.py::test_config_builds already builds every
    config, distillers included, so this only ties the index to a model that builds."""
    from mmdet.registry import MODELS
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    import mmdet_lite  # noqa: F401

    cfg = Config.fromfile(osp.join(REPO_ROOT, first_plain_model(method)))
    init_default_scope('mmdet')
    model_cfg = cfg.model.copy()
    model_cfg.backbone.pop('init_cfg', None)
    model = MODELS.build(model_cfg)
    assert sum(p.numel() for p in model.parameters()) > 0
