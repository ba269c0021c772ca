"""mmdet_lite: lightweight detectors and knowledge distillation as an MMDetection 3.x plugin.

``import mmdet_lite`` registers every module into mmdet's registries and makes mmengine load
checkpoints weights-only (see :mod:`mmdet_lite.utils.safe_checkpoint`); it also fixes a known bug
of the pinned mmdet (:mod:`mmdet_lite.utils.mmdet_fixes`).
"""

from .utils.safe_checkpoint import install_safe_checkpoint_loaders

install_safe_checkpoint_loaders()

from .utils.mmdet_fixes import fix_ssd_head_predict  # noqa: E402

fix_ssd_head_predict()

from . import datasets, engine, evaluation, models  # noqa: E402,F401  (registers modules)
from .version import __version__  # noqa: E402

__all__ = ['__version__', 'datasets', 'engine', 'evaluation', 'models']
