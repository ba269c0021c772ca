from .config_paths import resolve_config_path
from .safe_checkpoint import (
    CheckpointError,
    CorruptCheckpointError,
    UnsafeCheckpointError,
    install_safe_checkpoint_loaders,
    safe_torch_load,
)

__all__ = [
    'CheckpointError', 'CorruptCheckpointError', 'UnsafeCheckpointError',
    'install_safe_checkpoint_loaders', 'resolve_config_path', 'safe_torch_load'
]
