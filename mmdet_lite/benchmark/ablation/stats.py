"""Statistics of an ablation table: mean and spread over seeds, and a row against its baseline.

A row is compared with its baseline by a two-sided paired t-test of the differences of mAP@0.5
(row - baseline) over their common seeds, n-1 degrees of freedom (``scipy.stats.ttest_1samp`` of
the differences against 0, the same test as ``ttest_rel`` of the two rows). A side trained once
(a teacher) is one fixed number, not a sample: the other side's seeds are tested against it
(one-sample). The verdict is "reproduced" when p < 0.05 and the mean difference is in the
paper's direction, "reversed" when p < 0.05 against it, and "not resolved" otherwise, also, with
the reason, when fewer than 2 pairs or differences without spread leave nothing to test.
"""

import math
import statistics
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import scipy.stats

ALPHA = 0.05  # two-sided significance level of a verdict; the CI is the (1 - ALPHA) one


@dataclass(frozen=True)
class Comparison:
    """A row against its baseline: the mean paired difference of mAP@0.5 (row - baseline), its
    standard error (None with one pair), the number of pairs, the t statistic, two-sided
    p-value and 95 % confidence interval of the mean difference (None when untested) and the
    verdict."""

    diff: float
    se: Optional[float]
    pairs: int
    t: Optional[float]
    p: Optional[float]
    ci: Optional[Tuple[float, float]]
    verdict: str


def mean_std(values: Sequence[float]) -> Tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value)."""
    values = list(values)
    return statistics.fmean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def paired_differences(row: Dict[int, float], base: Dict[int, float], fixed_base: bool = False,
                       fixed_row: bool = False) -> List[float]:
    """``row[s] - base[s]`` over the seeds both have, in seed order. A ``fixed_base`` (or
    ``fixed_row``) with a single run (a teacher, trained once) is one fixed number, subtracted
    from (or from which is subtracted) every seed of the other side; otherwise only the common
    seeds pair, so that a row whose seeds are not all trained yet counts as one pair, not as a
    fixed reference."""
    if fixed_base and len(base) == 1:
        (b,) = base.values()
        diffs = [row[s] - b for s in sorted(row)]
    elif fixed_row and len(row) == 1:
        (r,) = row.values()
        diffs = [r - base[s] for s in sorted(base)]
    else:
        diffs = [row[s] - base[s] for s in sorted(set(row) & set(base))]
    if not diffs:
        raise ValueError('no common seeds to pair')
    return diffs


def t_test(diffs: Sequence[float]) -> Tuple[float, float, Tuple[float, float]]:
    """t, two-sided p and the 95 % confidence interval of the mean of ``diffs`` (one-sample
    against 0, t distribution with n-1 degrees of freedom); needs 2 or more differences."""
    res = scipy.stats.ttest_1samp(list(diffs), 0.0)
    ci = res.confidence_interval(1 - ALPHA)
    return float(res.statistic), float(res.pvalue), (float(ci.low), float(ci.high))


def verdict(diff: float, p: Optional[float], direction: int) -> str:
    """``reproduced`` if ``p`` < 0.05 and ``diff`` is in the paper's ``direction`` (+1: the row
    is better than its baseline), ``reversed`` if ``p`` < 0.05 the other way, else
    ``not resolved`` (also when untested: ``p`` None)."""
    if p is None or not p < ALPHA:
        return 'not resolved'
    return 'reproduced' if diff * direction > 0 else 'reversed'


def compare(diffs: Sequence[float], direction: int = 1) -> Comparison:
    """The :class:`Comparison` of paired differences ``diffs`` in the paper's ``direction``."""
    n, mean = len(diffs), statistics.fmean(diffs)
    if n < 2:
        return Comparison(mean, None, n, None, None, None, f'not resolved ({n} pair)')
    sd = statistics.stdev(diffs)
    if sd == 0:  # identical differences: t is undefined (0/0) or infinite, nothing to test
        return Comparison(mean, 0.0, n, None, None, None, 'not resolved (no spread)')
    t, p, ci = t_test(diffs)
    return Comparison(mean, sd / math.sqrt(n), n, t, p, ci, verdict(mean, p, direction))


def compare_rows(rows: List[dict]) -> None:
    """Set ``comparison`` (:class:`Comparison`) of every row that names a ``baseline`` (the
    name of another row) from the per-seed mAP@0.5 of both rows. A row with ``teacher=True``
    (trained once) is a fixed reference for every seed of the other side, as baseline or as the
    compared row; two student rows pair over their common seeds only."""
    by_name = {r['name']: r for r in rows}
    for r in rows:
        base = by_name.get(r.get('baseline'))
        if base is None:
            continue
        diffs = paired_differences(
            {s: ap['mAP50'] for s, ap in r['seeds'].items()},
            {s: ap['mAP50'] for s, ap in base['seeds'].items()},
            fixed_base=base.get('teacher', False), fixed_row=r.get('teacher', False))
        r['comparison'] = compare(diffs, r.get('direction', 1))


__all__ = ['ALPHA', 'Comparison', 'compare', 'compare_rows', 'mean_std', 'paired_differences',
           't_test', 'verdict']
