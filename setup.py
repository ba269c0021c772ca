"""Build hook: ship configs/, tools/ and checkpoints/ inside the package as ``mmdet_lite/.mim``.

`mim train mmdet_lite CONFIG` looks for ``<package>/.mim/tools/train.py`` and searches the installed
package for CONFIG by basename (the MMYOLO layout). Copying at build time keeps one source of truth.
"""

import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

MIM_DIRS = ('configs', 'tools', 'checkpoints')  # checkpoints: the small shipped backbones


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
            if name == 'checkpoints':  # only the weights, whatever else lies there
                shutil.copytree(src, dst, ignore=lambda d, names: [
                    n for n in names if not n.endswith('.pth')])
                continue
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))


setup(cmdclass={'build_py': BuildPyWithMim})
