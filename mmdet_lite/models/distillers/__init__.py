from .structured_kd_distiller import DistillationError, StructuredKDDistiller

__all__ = ['DistillationError', 'StructuredKDDistiller']
