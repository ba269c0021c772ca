"""Imports point down only: library <- adapters <- applications (README, Architecture)."""

import ast
import glob
import os
import os.path as osp

from projects_tests.conftest import REPO_ROOT

LAYERS = {  # package -> layer
    'models': 0, 'engine': 0, 'datasets': 0, 'evaluation': 0, 'utils': 0,
    'export': 1, 'deploy': 1, 'compat': 1, 'apis': 1,
    'benchmark': 2,
}


def _imported_packages(path: str, package: str) -> set:
    """The mmdet_lite sub-packages a module imports (absolute or relative)."""
    with open(path) as f:
        tree = ast.parse(f.read())
    found = set()
    here = osp.relpath(osp.dirname(path), osp.join(REPO_ROOT, 'mmdet_lite'))
    depth_pkg = [] if here == '.' else here.split(osp.sep)
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = depth_pkg[:len(depth_pkg) - node.level + 1]
                names = ['.'.join(['mmdet_lite', *base, *filter(None, [node.module])])]
            else:
                names = [node.module or '']
        for name in names:
            parts = name.strip('.').split('.')
            if parts[0] == 'mmdet_lite' and len(parts) > 1 and parts[1] in LAYERS:
                found.add(parts[1])
    found.discard(package)
    return found


def test_every_subpackage_has_a_layer():
    root = osp.join(REPO_ROOT, 'mmdet_lite')
    packages = {osp.splitext(n)[0] for n in os.listdir(root)
                if not n.startswith(('_', '.')) and n != 'version.py'
                and (n.endswith('.py') or osp.isdir(osp.join(root, n)))}
    assert packages == set(LAYERS), 'add the new package to LAYERS (and the README table)'


def test_imports_point_down():
    upward = []
    for path in glob.glob(osp.join(REPO_ROOT, 'mmdet_lite', '**', '*.py'), recursive=True):
        rel = osp.relpath(path, osp.join(REPO_ROOT, 'mmdet_lite')).split(osp.sep)
        package = osp.splitext(rel[0])[0]
        if package not in LAYERS:
            continue  # the package root (__init__, version) and .mim
        for imported in _imported_packages(path, package):
            if LAYERS[imported] > LAYERS[package]:
                upward.append(f'{"/".join(rel)} imports mmdet_lite.{imported}')
    assert not upward, upward
