"""Build hook: ship configs/, tools/, checkpoints/ and model-index.yml inside the package as
``mmdet_lite/.mim``.

`mim train mmdet_lite CONFIG` looks for ``<package>/.mim/tools/train.py`` and searches the installed
package for CONFIG by basename (the MMYOLO layout); `mim search mmdet_lite` reads
``<package>/.mim/model-index.yml``, which imports ``configs/*/metafile.yml`` (shipped with
configs/). Copying at build time keeps one source of truth.

Only the shipped checkpoints go in: the git-tracked ``checkpoints/*.pth`` in a git checkout of this
project, else (an sdist) the ones ``checkpoints/shipped.txt`` lists. The pre-trainings a checkout
makes (``make pretrain-*``, up to 115 MB each) stay where the repository's configs find them.
"""

import os
import shutil
import subprocess
from typing import Callable, List, Optional

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

MIM_DIRS = ('configs', 'tools', 'checkpoints')  # checkpoints: the small shipped backbones
MIM_FILES = ('model-index.yml',)  # the model index `mim search` reads
SHIPPED_LIST = os.path.join('checkpoints', 'shipped.txt')  # for builds outside a git checkout
NOT_SHIPPED_TOOLS = ('dev',)  # tools/dev: maintenance scripts for a git checkout


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


def shipped_checkpoints(here: str) -> List[str]:
    """The shipped checkpoint files, relative to ``checkpoints/``: git's tracked ``*.pth`` in a
    git checkout of this project, else ``checkpoints/shipped.txt`` (a test keeps the two equal)."""
    tracked = tracked_files(here, 'checkpoints')
    if tracked is not None:
        return sorted(p for p in tracked if p.endswith('.pth'))
    with open(os.path.join(here, SHIPPED_LIST)) as f:
        return sorted(line.strip() for line in f if line.strip() and not line.startswith('#'))


def ignore_in(src: str, top_level: tuple) -> Callable[[str, List[str]], List[str]]:
    """A ``copytree`` ignore: caches everywhere, ``top_level`` names directly under ``src``."""
    def ignore(folder: str, names: List[str]) -> List[str]:
        return [n for n in names if n == '__pycache__' or n.endswith(('.pyc', '.pyo'))
                or (n in top_level and os.path.samefile(folder, src))]
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
                os.makedirs(dst)
                for file in shipped_checkpoints(here):
                    shutil.copy2(os.path.join(src, file), os.path.join(dst, file))
                continue
            shutil.copytree(src, dst, ignore=ignore_in(
                src, NOT_SHIPPED_TOOLS if name == 'tools' else ()))
        for name in MIM_FILES:
            shutil.copy2(os.path.join(here, name), os.path.join(mim_root, name))


class SdistShipped(sdist):
    """MANIFEST.in takes ``checkpoints/shipped.txt``, not the folder: add the shipped files."""

    def make_distribution(self) -> None:
        here = os.path.dirname(os.path.abspath(__file__))
        self.filelist.extend(os.path.join('checkpoints', f) for f in shipped_checkpoints(here))
        self.filelist.sort()
        self.filelist.remove_duplicates()
        super().make_distribution()


setup(cmdclass={'build_py': BuildPyWithMim, 'sdist': SdistShipped})
