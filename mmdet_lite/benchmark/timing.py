"""Wall-clock timing for the benchmark tools: one median helper for all of them."""

import statistics
import time
from typing import Callable, Optional


def median_ms(fn: Callable[[], object], repeats: int, warmup: int = 3,
              sync: Optional[Callable[[], None]] = None) -> float:
    """Median wall time of ``fn()`` in milliseconds over ``repeats`` calls after ``warmup``
    calls; ``sync`` (e.g. ``torch.cuda.synchronize``) runs after each call, inside the timing."""
    if repeats < 1:
        raise ValueError(f'repeats must be >= 1, got {repeats}')
    sync = sync or (lambda: None)
    for _ in range(warmup):
        fn()
    sync()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


__all__ = ['median_ms']
