"""Applications over the library: ablation running, model complexity, loss-gradient analysis,
timing and report writing, for the ``tools/`` that are thin command lines over them.

The package's layers, imports pointing down only: the library (``models``, ``engine``,
``datasets``, ``evaluation``, ``utils``) <- adapters (``export``, ``deploy``, ``compat``, ``apis``)
<- applications (this package and ``tools/``). Nothing below imports from here.
"""

__all__ = ['ablation', 'complexity', 'loss_gradients', 'report', 'timing']
