"""mmdet_lite: lightweight detectors and knowledge distillation as an MMDetection 3.x plugin.

``import mmdet_lite`` registers every module into mmdet's registries and applies the ``core``
patches of :mod:`mmdet_lite.compat` (weights-only checkpoint loading, an mmdet 3.3 SSD fix), each
only on the library versions it targets.
"""

from .compat import apply_patches

apply_patches('core')

from . import datasets, engine, evaluation, models  # noqa: E402,F401  (registers modules)
from .version import __version__  # noqa: E402

__all__ = ['__version__', 'datasets', 'engine', 'evaluation', 'models']
