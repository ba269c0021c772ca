"""Build hook: ship configs/, tools/ and checkpoints/ inside the package as ``mmdet_lite/.mim``.

`mim train mmdet_lite CONFIG` looks for ``<package>/.mim/tools/train.py`` and searches the installed
package for CONFIG by basename (the MMYOLO layout). Copying at build time keeps one source of truth.
"""

import os
import shutil
import subprocess
from typing import Callable, List, Optional

from setuptools import setup
from setuptools.command.build_py import build_py

MIM_DIRS = ('configs', 'tools', 'checkpoints')  # checkpoints: the small shipped backbones


def tracked_files(here: str, folder: str) -> Optional[List[str]]:
    """The git-tracked files under ``folder``; None outside a git checkout (an sdist)."""
    try:
        top = subprocess.run(['git', 'rev-parse', '--show-toplevel'], cwd=here,
                             capture_output=True, check=True, text=True).stdout.strip()
        if os.path.realpath(top) != os.path.realpath(here):  # e.g. an sdist inside another repo
            return None
        out = subprocess.run(['git', 'ls-files', '-z', '--', folder], cwd=here,
                             capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return [os.path.relpath(p, folder) for p in out.decode().split('\0') if p]


def unshipped(src: str, shipped: Optional[List[str]]) -> Callable[[str, List[str]], List[str]]:
    """A ``copytree`` ignore: every non-``.pth`` file, and the untracked ones when known."""
    def ignore(folder: str, names: List[str]) -> List[str]:
        return [n for n in names if not n.endswith('.pth') or (
            shipped is not None and os.path.relpath(os.path.join(folder, n), src) not in shipped)]
    return ignore


class BuildPyWithMim(build_py):

    def run(self) -> None:
        super().run()
        here = os.path.dirname(os.path.abspath(__file__))
        mim_root = os.path.join(self.build_lib, 'mmdet_lite', '.mim')
        for name in MIM_DIRS:
            src = os.path.join(here, name)
            dst = os.path.join(mim_root, name)
            if os.path.isdir(dst):
                shutil.rmtree(dst)
            if name == 'checkpoints':
                # only the shipped (tracked) weights: the pre-trainings made locally (`make
                # pretrain-*`, up to 115 MB each) stay in the checkout, where the repo's
                # configs find them
                shutil.copytree(src, dst, ignore=unshipped(src, tracked_files(here, name)))
                continue
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))


setup(cmdclass={'build_py': BuildPyWithMim})
