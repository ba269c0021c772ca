from .attention_distiller import AttentionDistiller
from .base_distiller import BaseDistiller, DistillationError
from .structured_kd_distiller import StructuredKDDistiller

__all__ = ['AttentionDistiller', 'BaseDistiller', 'DistillationError', 'StructuredKDDistiller']
