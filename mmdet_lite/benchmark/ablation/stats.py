"""Statistics of an ablation table: mean and spread over seeds, a row against its baseline."""

import math
import statistics
from typing import Dict, List, Optional, Sequence, Tuple


def mean_std(values: Sequence[float]) -> Tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value)."""
    values = list(values)
    return statistics.fmean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def paired_difference(row: Dict[int, float], base: Dict[int, float], fixed_base: bool = False,
                      fixed_row: bool = False) -> Tuple[float, Optional[float], int]:
    """Mean of ``row[s] - base[s]`` over the seeds both have, its standard error and the number
    of pairs. A ``fixed_base`` (or ``fixed_row``) with a single run (a teacher, trained once) is
    paired with every seed of the other side; otherwise only the common seeds pair, so that a row
    whose seeds are not all trained yet counts as one pair, not as a fixed reference.
    The standard error is None with fewer than 2 pairs."""
    if fixed_base and len(base) == 1:
        (b,) = base.values()
        diffs = [v - b for v in row.values()]
    elif fixed_row and len(row) == 1:
        (r,) = row.values()
        diffs = [r - v for v in base.values()]
    else:
        diffs = [row[s] - base[s] for s in sorted(set(row) & set(base))]
    if not diffs:
        raise ValueError('no common seeds to pair')
    n = len(diffs)
    se = statistics.stdev(diffs) / math.sqrt(n) if n > 1 else None
    return statistics.fmean(diffs), se, n


def verdict(diff: float, se: Optional[float], direction: int) -> str:
    """``reproduced`` if ``diff`` exceeds 2 SE in the paper's ``direction`` (+1: the row is
    better than its baseline), ``reversed`` if it does the other way, else ``not resolved``."""
    if se is None:
        return 'single run'
    if diff * direction > 2 * se:
        return 'reproduced'
    if diff * direction < -2 * se:
        return 'reversed'
    return 'not resolved'


def compare_rows(rows: List[dict]) -> None:
    """Fill ``diff``, ``se``, ``pairs`` and ``verdict`` of every row that names a ``baseline``
    (the name of another row) from the per-seed mAP@0.5 of both rows. A row with
    ``teacher=True`` (trained once) is a fixed reference for every seed of the other side, as
    baseline or as the compared row; two student rows pair over their common seeds only."""
    by_name = {r['name']: r for r in rows}
    for r in rows:
        base = by_name.get(r.get('baseline'))
        if base is None:
            continue
        r['diff'], r['se'], r['pairs'] = paired_difference(
            {s: ap['mAP50'] for s, ap in r['seeds'].items()},
            {s: ap['mAP50'] for s, ap in base['seeds'].items()},
            fixed_base=base.get('teacher', False), fixed_row=r.get('teacher', False))
        r['verdict'] = verdict(r['diff'], r['se'], r.get('direction', 1))


__all__ = ['compare_rows', 'mean_std', 'paired_difference', 'verdict']
