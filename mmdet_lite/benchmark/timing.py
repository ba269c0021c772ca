"""Wall-clock timing for the benchmark tools: one median helper for all of them."""

import statistics
import time
from typing import Callable, Dict, List, NamedTuple, Optional, Sequence


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


def interleaved_rounds(fns: Dict[str, Callable[[], object]], rounds: int = 3, repeats: int = 30,
                       warmup: int = 5) -> Dict[str, List[float]]:
    """Time several functions in alternation: ``warmup`` calls of each, then ``rounds`` rounds,
    each timing every function in turn (A, B, C, A, B, C, ...) as the median of ``repeats``
    calls. Returns ``{name: [median ms of round 1, round 2, ...]}``. Drifts of the machine (a
    turbo state, another process) then hit all functions of a round alike, and a ratio is read
    round by round (:func:`ratio_spread`)."""
    if rounds < 1:
        raise ValueError(f'rounds must be >= 1, got {rounds}')
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    out: Dict[str, List[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            out[name].append(median_ms(fn, repeats, warmup=0))
    return out


class Ratio(NamedTuple):
    """A ratio of two timings over interleaved rounds: the median of the per-round ratios, their
    range, and whether the rounds disagree by more than ``tolerance`` of the median."""
    median: float
    low: float
    high: float
    unstable: bool

    def __str__(self) -> str:
        flag = ' (!)' if self.unstable else ''
        return f'{self.median:.2f}x [{self.low:.2f}-{self.high:.2f}]{flag}'


def ratio_spread(a: Sequence[float], b: Sequence[float], tolerance: float = 0.10) -> Ratio:
    """``a / b`` round by round (the rounds of :func:`interleaved_rounds`)."""
    if len(a) != len(b) or not a:
        raise ValueError(f'need the same non-zero number of rounds, got {len(a)} and {len(b)}')
    ratios = [x / y for x, y in zip(a, b, strict=True)]
    mid = statistics.median(ratios)
    low, high = min(ratios), max(ratios)
    return Ratio(mid, low, high, (high - low) > tolerance * mid)


def ort_session(path: str, threads: int, profile_prefix: Optional[str] = None):
    """A CPU onnxruntime session of ``path`` with ``threads`` intra-op threads (0: onnxruntime's
    default, all physical cores) and one inter-op thread; with ``profile_prefix``, onnxruntime's
    profiler writes there (``sess.end_profiling()`` returns the file)."""
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3  # errors only: not onnxruntime's initializer clean-up notes
    if profile_prefix is not None:
        opts.enable_profiling = True
        opts.profile_file_prefix = profile_prefix
    return ort.InferenceSession(path, opts, providers=['CPUExecutionProvider'])


def ort_runner(path: str, threads: int) -> Callable[[], object]:
    """A no-argument call of the file's session on a fixed random input of the file's own
    (static) input shape; session creation is excluded from what a timing of it measures."""
    import numpy as np
    sess = ort_session(path, threads)
    inp = sess.get_inputs()[0]
    x = np.random.default_rng(0).uniform(0, 255, inp.shape).astype(np.float32)
    return lambda: sess.run(None, {inp.name: x})


__all__ = ['Ratio', 'interleaved_rounds', 'median_ms', 'ort_runner', 'ort_session',
           'ratio_spread']
