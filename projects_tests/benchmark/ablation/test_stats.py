"""The statistics of a row against its baseline: a paired t-test (two-sided p, 95 % CI of the
mean difference), checked by hand and against a naive computation that does not use scipy."""

import math
import statistics

import pytest
import scipy.stats

from mmdet_lite.benchmark.ablation import (
    compare,
    compare_rows,
    mean_std,
    paired_differences,
    verdict,
)


def t_cdf(t, df, steps=20000):
    """Student's t CDF by Simpson's rule over its density (no scipy)."""
    c = math.gamma((df + 1) / 2) / (math.sqrt(df * math.pi) * math.gamma(df / 2))
    pdf = lambda x: c * (1 + x * x / df) ** (-(df + 1) / 2)  # noqa: E731
    h = abs(t) / steps
    area = pdf(0) + pdf(abs(t)) + sum((4 if k % 2 else 2) * pdf(k * h) for k in range(1, steps))
    return 0.5 + math.copysign(area * h / 3, t)


def naive(diffs):
    """t = mean / (sd / sqrt(n)) and its two-sided p from the t CDF with n-1 degrees of freedom."""
    n = len(diffs)
    t = statistics.fmean(diffs) / (statistics.stdev(diffs) / math.sqrt(n))
    return t, 2 * (1 - t_cdf(abs(t), n - 1))


def test_hand_case_reproduced():
    # mean 0.011, sd 0.001, SE 0.001 / sqrt(3) = 0.000577: t = 0.011 / 0.000577 = 19.05; with 2
    # degrees of freedom the t CDF is 1/2 + t / (2 sqrt(2 + t^2)), so p = 1 - t / sqrt(2 + t^2)
    c = compare([0.01, 0.012, 0.011], direction=+1)
    assert (c.diff, c.se, c.pairs) == (pytest.approx(0.011), pytest.approx(0.001 / 3 ** 0.5), 3)
    assert c.t == pytest.approx(0.011 * 3 ** 0.5 / 0.001)
    assert c.p == pytest.approx(1 - c.t / math.sqrt(2 + c.t ** 2)) and c.p < 0.003
    # 95 % CI: mean +- t_0.975,2 * SE, t_0.975,2 = sqrt(2 * 0.95^2 / (1 - 0.95^2)) = 4.3027
    half = math.sqrt(2 * 0.95 ** 2 / (1 - 0.95 ** 2)) * 0.001 / 3 ** 0.5
    assert c.ci == (pytest.approx(0.011 - half), pytest.approx(0.011 + half))
    assert c.verdict == 'reproduced'
    assert compare([0.01, 0.012, 0.011], direction=-1).verdict == 'reversed'


def test_two_se_is_not_significance():
    # mean -0.011, SE 0.004 over 3 seeds: 2.75 SE, which the old rule (> 2 SE) called reproduced
    # for a row the paper finds worse; t = -2.75, p = 1 - 2.75 / sqrt(2 + 2.75^2) = 0.111
    diffs = [-0.003, -0.015, -0.015]
    c = compare(diffs, direction=-1)
    assert (c.diff, c.se) == (pytest.approx(-0.011), pytest.approx(0.004))
    assert c.t == pytest.approx(-2.75)
    assert c.p == pytest.approx(1 - 2.75 / math.sqrt(2 + 2.75 ** 2)) == pytest.approx(0.1107,
                                                                                       abs=1e-4)
    assert c.ci[0] < 0 < c.ci[1]
    assert c.verdict == 'not resolved'
    assert compare(diffs, direction=+1).verdict == 'not resolved'


@pytest.mark.parametrize('diffs', [[0.01, 0.012, 0.011], [-0.003, -0.015, -0.015],
                                   [0.02, -0.01, 0.03, 0.005, 0.012], [0.3, 0.1]])
def test_against_a_naive_computation(diffs):
    c = compare(diffs)
    t, p = naive(diffs)
    assert c.t == pytest.approx(t) and c.p == pytest.approx(p, rel=1e-6)
    # the paired test of two rows is the one-sample test of their differences
    base = [0.4, 0.5, 0.45, 0.38, 0.41][:len(diffs)]
    res = scipy.stats.ttest_rel([b + d for b, d in zip(base, diffs, strict=True)], base)
    assert c.t == pytest.approx(res.statistic) and c.p == pytest.approx(res.pvalue)


def test_too_few_pairs_or_no_spread_are_not_resolved():
    c = compare([0.1])
    assert (c.pairs, c.se, c.t, c.p, c.ci) == (1, None, None, None, None)
    assert c.verdict == 'not resolved (1 pair)'
    c = compare([0.1, 0.1, 0.1])
    assert (c.se, c.t, c.p) == (0.0, None, None) and c.verdict == 'not resolved (no spread)'
    assert verdict(0.2, None, 1) == 'not resolved' and verdict(0.2, 0.05, 1) == 'not resolved'
    assert verdict(0.2, 0.049, 1) == 'reproduced' and verdict(-0.2, 0.049, 1) == 'reversed'


def test_pairing():
    assert mean_std([0.1, 0.3]) == pytest.approx((0.2, 0.1414213562))
    assert mean_std([0.25]) == (0.25, 0.0)
    # the common seeds only (seed 5 has no partner)
    assert paired_differences({0: 0.5, 1: 0.6, 2: 0.7, 5: 9.0}, {0: 0.4, 1: 0.4, 2: 0.4}) == (
        pytest.approx([0.1, 0.2, 0.3]))
    # a student baseline with one seed trained so far: one pair, not a fixed reference
    assert paired_differences({0: 0.2, 1: 0.4}, {0: 0.1}) == pytest.approx([0.1])
    with pytest.raises(ValueError, match='no common seeds'):
        paired_differences({1: 0.2}, {0: 0.1})


def test_a_fixed_baseline_is_a_one_sample_test():
    row, fixed = {0: 0.2, 1: 0.4, 2: 0.35}, 0.1  # e.g. a teacher trained once, or a paper value
    c = compare(paired_differences(row, {0: fixed}, fixed_base=True))
    res = scipy.stats.ttest_1samp(list(row.values()), fixed)
    assert (c.pairs, c.t, c.p) == (3, pytest.approx(res.statistic), pytest.approx(res.pvalue))
    # the teacher as the compared row: its one value against the baseline's seeds
    c = compare(paired_differences({0: fixed}, row, fixed_row=True))
    assert (c.pairs, c.t) == (3, pytest.approx(-res.statistic))


def test_compare_rows():
    rows = [dict(name='t', seeds={0: dict(mAP50=0.7)}, teacher=True, baseline='s'),
            dict(name='b', seeds={s: dict(mAP50=0.4) for s in range(3)}),
            dict(name='s', baseline='b', direction=-1,
                 seeds={s: dict(mAP50=0.4 + d) for s, d in enumerate([-0.003, -0.015, -0.015])})]
    compare_rows(rows)
    assert 'comparison' not in rows[1]
    assert rows[2]['comparison'].verdict == 'not resolved'
    assert rows[2]['comparison'].t == pytest.approx(-2.75)
    assert rows[0]['comparison'].pairs == 3 and rows[0]['comparison'].verdict == 'reproduced'
