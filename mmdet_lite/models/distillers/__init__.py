from .attention_distiller import AttentionDistiller
from .base_distiller import BaseDistiller, DistillationError, is_distiller
from .localization_distiller import LocalizationDistiller
from .structured_kd_distiller import StructuredKDDistiller

__all__ = ['AttentionDistiller', 'BaseDistiller', 'DistillationError', 'LocalizationDistiller',
           'StructuredKDDistiller', 'is_distiller']
