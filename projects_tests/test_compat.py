"""mmdet_lite.compat: each patch applies on the pinned stack, skipped with a warning elsewhere."""

from dataclasses import replace

import pytest

import mmdet_lite  # noqa: F401
from mmdet_lite.compat import PATCHES, Patch, apply_patches, out_of_range, patch_status


def test_core_patches_active_on_the_pinned_stack():
    core = {p.name for p in PATCHES if p.group == 'core'}
    assert core and all(patch_status()[name] for name in core)
    assert all(not out_of_range(p) for p in PATCHES if p.group == 'core')


def test_every_patch_says_what_and_why():
    for p in PATCHES:
        assert p.targets and len(p.why) > 40 and p.group in ('core', 'deploy')


def test_out_of_range_patch_is_skipped_with_a_warning():
    calls = []
    old = Patch(name='demo', targets={'torch': '<1.0'}, why='x' * 50,
                apply=lambda: calls.append(1))
    with pytest.warns(UserWarning, match=r"not applying the patch 'demo'.*torch<1.0, found torch"):
        assert apply_patches('core', [old]) == {'demo': False}
    missing = Patch(name='gone', targets={'no-such-distribution': '>=1'}, why='y' * 50,
                    apply=lambda: calls.append(2))
    with pytest.warns(UserWarning, match='no-such-distribution not installed'):
        apply_patches('core', [missing])
    assert calls == []
    in_range = Patch(name='ok', targets={'torch': '>=1.0'}, why='z' * 50,
                     apply=lambda: calls.append(3))
    assert apply_patches('other', [in_range]) == {}  # another group: untouched
    assert apply_patches('other', [replace(in_range, group='other')]) == {'ok': True}
    assert calls == [3]


def test_patches_are_idempotent():
    from mmdet.models.dense_heads import SSDHead
    init = SSDHead.__init__
    apply_patches('core')
    assert SSDHead.__init__ is init


def test_config_index_lookup_equals_mmengines():
    """The cached model-index lookup answers as mmengine's own reading: a listed config's entry,
    and ValueError for any other name (mmengine then reads the file from the package's configs;
    0.10.7 looks names up without their `.py`, so that is every name it asks for)."""
    from mmengine.config import utils
    from mmengine.utils import get_installed_path
    lookup = utils._get_cfg_metainfo
    assert lookup._mmdet_lite_patched
    mmdet_path = get_installed_path('mmdet')
    for name in ('ssd/ssd300_coco.py', 'gfl/gfl_r50_fpn_1x_coco.py'):
        assert lookup(mmdet_path, name) == lookup.__wrapped__(mmdet_path, name)
    for name in ('_base_/default_runtime', 'ssd/ssd300_coco'):
        for lookup_of in (lookup, lookup.__wrapped__):
            with pytest.raises(ValueError):
                lookup_of(mmdet_path, name)




def test_config_text_is_formatted_once(monkeypatch):
    """pretty_text runs yapf once per text; the memoised text is mmengine's own output."""
    from mmengine.config import Config, config
    format_once = config.FormatCode
    cfg = Config(dict(model=dict(type='X', depth=[1, 2, 3], name='unique-7f3a'), seed=7))
    before = format_once.cache_info()
    text = cfg.pretty_text
    assert cfg.pretty_text == text
    after = format_once.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)
    monkeypatch.setattr(config, 'FormatCode', format_once.__wrapped__)  # yapf itself
    assert cfg.pretty_text == text
