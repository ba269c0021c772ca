"""The shared timing and report helpers of mmdet_lite.benchmark, on hand-checkable cases."""

import pytest

from mmdet_lite.benchmark import report, timing


def test_median_ms_times_only_the_repeats_and_syncs_inside(monkeypatch):
    clock = iter([0.0, 0.010, 1.0, 1.030, 2.0, 2.020])  # 10, 30, 20 ms
    monkeypatch.setattr(timing.time, 'perf_counter', lambda: next(clock))
    calls, syncs = [], []
    ms = timing.median_ms(lambda: calls.append(1), repeats=3, warmup=2,
                          sync=lambda: syncs.append(len(calls)))
    assert ms == pytest.approx(20.0)
    assert len(calls) == 5  # 2 warm-up + 3 timed
    assert syncs == [2, 3, 4, 5]  # once after the warm-up, then after every timed call
    with pytest.raises(ValueError, match='repeats'):
        timing.median_ms(lambda: None, repeats=0)


def test_markdown_table_and_files(tmp_path):
    lines = report.markdown_table(['a', 'b'], [[1, 'x'], [2.5, '']])
    assert lines == ['| a | b |', '|---|---|', '| 1 | x |', '| 2.5 |  |']
    with pytest.raises(ValueError, match='3 cells'):
        report.markdown_table(['a', 'b'], [[1, 2, 3]])
    text = report.write_markdown(['# t', *lines], str(tmp_path / 't.md'))
    assert (tmp_path / 't.md').read_text() == text and text.endswith('|  |\n')
    fig, ax = report.new_figure((2, 2))
    ax.plot([0, 1], [0, 1])
    report.save_figure(fig, str(tmp_path / 't.png'))
    assert (tmp_path / 't.png').stat().st_size > 0


def test_interleaved_rounds_alternate_and_ratios_are_read_round_by_round(monkeypatch):
    order = []
    monkeypatch.setattr(timing, 'median_ms',
                        lambda fn, repeats, warmup=0: (fn(), {'A': 10.0, 'B': 20.0}[order[-1]])[1])
    fns = {'A': lambda: order.append('A'), 'B': lambda: order.append('B')}
    out = timing.interleaved_rounds(fns, rounds=3, repeats=5, warmup=2)
    assert order == ['A', 'A', 'B', 'B'] + ['A', 'B'] * 3  # warm-up, then A, B per round
    assert out == {'A': [10.0] * 3, 'B': [20.0] * 3}
    r = timing.ratio_spread([10, 12, 11], [20, 20, 20])
    assert (r.median, r.low, r.high) == (0.55, 0.5, 0.6)
    assert r.unstable and str(r) == '0.55x [0.50-0.60] (!)'  # rounds 18 % apart
    assert not timing.ratio_spread([10, 10.4], [20, 20]).unstable
    with pytest.raises(ValueError, match='same non-zero number of rounds'):
        timing.ratio_spread([1.0], [1.0, 2.0])
