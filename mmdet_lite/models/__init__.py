from .backbones import *  # noqa: F401,F403
from .dense_heads import *  # noqa: F401,F403
from .distillers import *  # noqa: F401,F403
from .layers import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .necks import *  # noqa: F401,F403
