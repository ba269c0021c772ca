"""tools/plot_tradeoff.py: the Pareto front of a hand-checked set, the chart, what it refuses."""

import json
import os.path as osp
from pathlib import Path

from projects_tests.conftest import REPO_ROOT, load_tool

tool = load_tool('plot_tradeoff')
P = tool.Point


def entry(model: str, fp32: tuple, int8: tuple) -> dict:
    """An entry of the results file: (latency ms, AP@0.5) for fp32 and for INT8."""
    return dict(model=model, config=f'configs/x/{model}.py', cpu='test CPU',
                command='python tools/benchmark_deployment.py', latency_ms_fp32=fp32[0],
                ap50_fp32=fp32[1], latency_ms_int8=int8[0], ap50_int8=int8[1])


def write(path: Path, entries: list) -> Path:
    path.write_text(json.dumps(dict(entries=entries)))
    return path


def test_pareto_front_by_hand():
    points = [P('a', 'fp32', 10, 0.50),  # 0: front (best AP under 20 ms)
              P('b', 'fp32', 5, 0.30),   # 1: front (fastest)
              P('c', 'fp32', 12, 0.40),  # 2: dominated by 0 (slower, lower)
              P('d', 'fp32', 5, 0.20),   # 3: dominated by 1 (as fast, lower)
              P('e', 'fp32', 20, 0.60),  # 4: front (best AP)
              P('f', 'fp32', 10, 0.45),  # 5: dominated by 0 (as fast, lower)
              P('g', 'fp32', 7, 0.30)]   # 6: dominated by 1 (slower, as good)
    assert tool.pareto_front(points) == [1, 0, 4]
    # two equal points dominate neither each other
    assert tool.pareto_front([P('x', 'fp32', 3, 0.1), P('y', 'int8', 3, 0.1)]) == [0, 1]


def test_chart_written_input_untouched(tmp_path, capsys):
    results = write(tmp_path / 'r.json', [entry('fast', (6, 0.16), (5, 0.16)),
                                          entry('good', (14, 0.43), (6, 0.42)),
                                          entry('slow', (23, 0.24), (10, 0.24))])
    before = results.read_bytes()
    out = tmp_path / 'chart' / 'tradeoff.png'
    assert tool.main([str(results), '--out', str(out)]) == 0
    assert out.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    assert results.read_bytes() == before
    lines = capsys.readouterr().out.splitlines()[1:-1]
    assert len(lines) == 6
    # the fastest point, the best AP and the fast INT8 of 'good' between them
    assert {tuple(line.split()[:2]) for line in lines if line.endswith('yes')} == {
        ('fast', 'int8'), ('good', 'int8'), ('good', 'fp32')}


def test_refuses_a_file_missing_a_field(tmp_path, capsys):
    bad = entry('good', (14, 0.43), (6, 0.42))
    del bad['latency_ms_int8'], bad['command']
    results = write(tmp_path / 'r.json', [entry('fast', (6, 0.16), (5, 0.16)), bad])
    out = tmp_path / 'tradeoff.png'
    assert tool.main([str(results), '--out', str(out)]) == 2
    err = capsys.readouterr().err
    assert 'good: missing field(s) command, latency_ms_int8' in err
    assert not out.exists()


def test_refuses_wrong_kinds_and_empty_files(tmp_path, capsys):
    odd = entry('odd', (14, 0.43), (6, 0.42))
    odd.update(ap50_int8=43.0, latency_ms_fp32='14', cpu='')
    assert tool.main([str(write(tmp_path / 'r.json', [odd])), '--out',
                      str(tmp_path / 'o.png')]) == 2
    err = capsys.readouterr().err
    assert 'ap50_int8 must be a number in [0, 1], got 43.0' in err
    assert "latency_ms_fp32 must be a positive number of ms, got '14'" in err
    assert 'cpu must be a non-empty string' in err
    assert tool.main([str(write(tmp_path / 'e.json', [])), '--out', str(tmp_path / 'o.png')]) == 2
    assert 'non-empty "entries" list' in capsys.readouterr().err
    assert not (tmp_path / 'o.png').exists()


def test_refuses_to_overwrite_its_input(tmp_path, capsys):
    results = write(tmp_path / 'r.json', [entry('fast', (6, 0.16), (5, 0.16))])
    before = results.read_bytes()
    assert tool.main([str(results), '--out', str(results)]) == 2
    assert 'is the results file' in capsys.readouterr().err
    assert results.read_bytes() == before


def test_committed_results_file():
    """The front page's numbers load, and their front is the one the README describes."""
    results = tool.load_results(osp.join(REPO_ROOT, 'docs/en/_static/tradeoff.json'))
    points = tool.points_of(results)
    front = [(points[i].model, points[i].precision) for i in tool.pareto_front(points)]
    assert front == [('SSD300 1/8 VGG16', 'int8'), ('Mobile CenterNet W16 + CBFL', 'int8'),
                     ('Mobile CenterNet W16 + CBFL', 'fp32')]
    for e in results['entries']:
        assert osp.isfile(osp.join(REPO_ROOT, e['config'])), e['config']
