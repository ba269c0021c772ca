"""Find config files given relative to the repo root, whatever the working directory."""

import os.path as osp
from pathlib import Path
from typing import List

_PKG_DIR = Path(__file__).resolve().parents[1]


def config_search_dirs() -> List[Path]:
    """Where relative config paths are looked up, in order.

    The working directory, the source checkout that holds this package (``<repo>/configs``), and
    the configs shipped inside the installed package (``mmdet_lite/.mim/configs``).
    """
    return [Path.cwd(), _PKG_DIR.parent, _PKG_DIR / '.mim']


def resolve_config_path(path: str) -> str:
    """Absolute path of ``path``, e.g. ``'configs/mobile_centernet/x.py'``,
    ``'mobile_centernet/x.py'`` or ``'mmdet::centernet/x.py'`` (a config shipped in an installed
    OpenMMLab package); raises ``FileNotFoundError`` listing the places tried."""
    if '::' in path:
        import importlib
        scope, rel_path = path.split('::', 1)
        try:
            pkg = importlib.import_module(scope)
        except ImportError as err:
            raise FileNotFoundError(f'Config {path!r}: package {scope!r} is not installed') from err
        full = Path(pkg.__file__).parent / '.mim' / 'configs' / rel_path
        if not full.is_file():
            raise FileNotFoundError(f'Config {path!r} not found: no {full}')
        return str(full)
    if osp.isabs(path):
        if osp.isfile(path):
            return path
        raise FileNotFoundError(f'Config file {path} does not exist.')
    tried = []
    rel = Path(path)
    candidates = [rel] if rel.parts[:1] == ('configs', ) else [rel, Path('configs') / rel]
    for base in config_search_dirs():
        for cand in candidates:
            full = base / cand
            tried.append(str(full))
            if full.is_file():
                return str(full)
    raise FileNotFoundError(f'Config file {path!r} not found; tried: ' + ', '.join(tried) +
                            '. Give an absolute path or one relative to the mmdet_lite repo root.')
