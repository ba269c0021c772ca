"""Every global change mmdet_lite makes to the libraries it plugs into, in one list.

Each :class:`Patch` names the library versions it was written for and tested on, and why it is
needed (the measurements are in ``docs/compatibility.md``). ``import mmdet_lite`` applies the
``core`` patches, ``import mmdet_lite.deploy`` the ``deploy`` ones. On versions outside a patch's
range the patch is skipped with a warning that names the versions: a newer library may have fixed
the bug, or changed what the patch touches, and either way a silent monkey-patch is the wrong
default. :func:`patch_status` tells which ones are active.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Callable

from packaging.specifiers import SpecifierSet
from packaging.version import Version


@dataclass(frozen=True)
class Patch:
    """One global change: ``apply`` is idempotent; ``targets`` maps distribution -> specifier."""

    name: str
    targets: dict[str, str]
    why: str
    apply: Callable[[], None]
    group: str = 'core'


def _installed(dist: str) -> str | None:
    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def out_of_range(patch: Patch) -> dict[str, str | None]:
    """The targeted distributions whose installed version is outside the patch's range."""
    found = {dist: _installed(dist) for dist in patch.targets}
    return {dist: v for dist, v in found.items()
            if v is None or Version(v) not in SpecifierSet(patch.targets[dist])}


def _weights_only_checkpoints() -> None:
    from .utils.safe_checkpoint import install_safe_checkpoint_loaders
    install_safe_checkpoint_loaders()


def _ssd_head_loss_cls() -> None:
    from mmdet.models.dense_heads import SSDHead
    init = SSDHead.__init__
    if getattr(init, '_mmdet_lite_patched', False):
        return

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):  # noqa: ANN001, ANN202, N807
        init(self, *args, **kwargs)
        # an instance attribute, not a module: nothing is added to the state dict
        if 'loss_cls' not in self._modules and 'loss_cls' not in self.__dict__:
            self.loss_cls = None

    __init__._mmdet_lite_patched = True
    SSDHead.__init__ = __init__


def _torchscript_onnx_exporter() -> None:
    import torch
    export = torch.onnx.export
    if getattr(export, '_mmdet_lite_patched', False):
        return

    @functools.wraps(export)
    def torchscript_export(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        kwargs.setdefault('dynamo', False)
        return export(*args, **kwargs)

    torchscript_export._mmdet_lite_patched = True
    torch.onnx.export = torchscript_export


def _atomic_checkpoint_writes() -> None:
    from mmengine.runner import runner

    from .utils.work_dir import atomic
    runner.save_checkpoint = atomic(runner.save_checkpoint)


def _config_index_cache() -> None:
    from mmengine.config import utils
    lookup = utils._get_cfg_metainfo
    if getattr(lookup, '_mmdet_lite_patched', False):
        return

    @functools.cache
    def index(package_path: str) -> dict:
        """Config name -> its model entry, over every metafile of the package's model index
        (the first entry of a name wins, as in mmengine)."""
        found: dict = {}
        meta_index = utils.load(utils.osp.join(package_path, '.mim', 'model-index.yml'))
        for meta_path in meta_index['Import']:
            meta = utils.load(utils.osp.join(package_path, '.mim', meta_path))
            for model in meta['Models']:
                if 'Config' in model:
                    found.setdefault(model['Config'].partition('/')[-1], model)
        return found

    @functools.wraps(lookup)
    def cached(package_path: str, cfg_path: str) -> dict:
        models = index(package_path)
        if cfg_path not in models:  # mmengine then reads it as a `_base_` file
            raise ValueError(f'{cfg_path} is not in the model index of {package_path}')
        return models[cfg_path]

    cached._mmdet_lite_patched = True
    utils._get_cfg_metainfo = cached


def _config_text_formatted_once() -> None:
    from mmengine.config import config
    format_code = config.FormatCode
    if getattr(format_code, '_mmdet_lite_patched', False):
        return

    @functools.lru_cache(maxsize=32)
    def formatted(text: str, style: tuple, options: tuple) -> tuple:
        return format_code(text, style_config=dict(style), **dict(options))

    @functools.wraps(format_code)
    def format_once(text: str, style_config: dict | None = None, **kwargs) -> tuple:  # noqa: ANN003
        if not isinstance(style_config, dict):  # a style file or name: not memoised
            return format_code(text, style_config=style_config, **kwargs)
        return formatted(text, tuple(sorted(style_config.items())), tuple(sorted(kwargs.items())))

    format_once.cache_info = formatted.cache_info
    format_once._mmdet_lite_patched = True
    config.FormatCode = format_once


PATCHES: list[Patch] = [
    Patch(
        name='weights-only checkpoint loading',
        targets={'mmengine': '>=0.10,<0.11', 'torch': '>=2.6', 'numpy': '>=2'},
        why="mmengine 0.10.x calls torch.load without weights_only; torch >= 2.6 then refuses the "
            "HistoryBuffer/numpy objects its Runner writes. mmengine's local/http loaders are "
            'replaced by weights-only ones with exactly those classes allow-listed '
            '(mmdet_lite.utils.safe_checkpoint; numpy >= 2 names them under numpy._core).',
        apply=_weights_only_checkpoints),
    Patch(
        name='SSDHead.loss_cls',
        targets={'mmdet': '>=3.0,<3.4'},
        why='mmdet 3.x BaseDenseHead._predict_by_feat_single reads self.loss_cls, which SSDHead '
            'never sets (it skips AnchorHead.__init__), so every SSD val/test run fails with '
            'AttributeError (open-mmlab/mmdetection issues 11063, 11305, 11780). loss_cls = None '
            "gives mmdet's own fallback, the softmax over classes.",
        apply=_ssd_head_loss_cls),
    Patch(
        name='torch.onnx.export defaults to the TorchScript exporter',
        targets={'torch': '>=2.9', 'mmdeploy': '>=1.3,<1.4'},
        why="torch >= 2.9 exports with dynamo by default, which bypasses mmdeploy's function "
            'rewriters (and needs onnxscript); dynamo=False keeps the TorchScript exporter that '
            'mmdeploy 1.3 is written for. Only applied by `import mmdet_lite.deploy`.',
        apply=_torchscript_onnx_exporter, group='deploy'),
    Patch(
        name='atomic checkpoint writes',
        targets={'mmengine': '>=0.10,<0.11'},
        why="mmengine's Runner.save_checkpoint writes epoch_N.pth in place: a full disk or a kill "
            'mid-write leaves a truncated file with the final name. The Runner module\'s '
            'save_checkpoint writes FILE.part and renames it (mmdet_lite.utils.work_dir.atomic).',
        apply=_atomic_checkpoint_writes),
    Patch(
        name='config index read once',
        targets={'mmengine': '>=0.10,<0.11'},
        why="mmengine's Config reads every `mmdet::` base (`_base_` files included) by first "
            "looking the name up in the package's model index, which parses all of its metafiles "
            '(about 100 YAML files for mmdet) on every lookup: most of the time of loading a '
            'config. The index is read once per package and process.',
        apply=_config_index_cache),
    Patch(
        name='config text formatted once',
        targets={'mmengine': '>=0.10,<0.11', 'yapf': '>=0.40.2'},
        why="mmengine's Config.pretty_text formats the whole config with yapf (about 1-2 s for a "
            "detector's config) each time it is asked: when the Runner logs and dumps the config "
            'and in the meta of every checkpoint it saves. yapf is a pure function of the text '
            'and style, so its result is memoised (32 texts).',
        apply=_config_text_formatted_once),
]

_STATUS: dict[str, bool] = {}


def apply_patches(group: str = 'core', patches: list[Patch] | None = None) -> dict[str, bool]:
    """Apply the patches of ``group`` whose target versions are installed; warn for the others.
    Returns patch name -> applied."""
    result = {}
    for patch in (PATCHES if patches is None else patches):
        if patch.group != group:
            continue
        bad = out_of_range(patch)
        if bad:
            found = ', '.join(f'{d} {v or "not installed"}' for d, v in bad.items())
            wanted = ', '.join(f'{d}{s}' for d, s in patch.targets.items())
            warnings.warn(f"mmdet_lite: not applying the patch '{patch.name}': it targets "
                          f'{wanted}, found {found}. Why it exists: {patch.why}', stacklevel=2)
            result[patch.name] = False
        else:
            patch.apply()
            result[patch.name] = True
    if patches is None:  # the package's own list, not a caller's
        _STATUS.update(result)
    return result


def patch_status() -> dict[str, bool]:
    """Patch name -> applied, for the groups applied so far in this process."""
    return dict(_STATUS)


__all__ = ['PATCHES', 'Patch', 'apply_patches', 'out_of_range', 'patch_status']
