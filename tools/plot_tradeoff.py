"""Speed/accuracy chart: AP@0.5 against CPU latency, one point per model and precision.

    python tools/plot_tradeoff.py [RESULTS] [--out PNG]

RESULTS (default ``docs/en/_static/tradeoff.json``) is a file of measured numbers: a JSON object
whose ``entries`` each name ``model``, ``config``, ``ap50_fp32``, ``ap50_int8``,
``latency_ms_fp32``, ``latency_ms_int8``, ``cpu`` and ``command`` (what produced them). Every entry
gives two points, fp32 and INT8; the points that no other point beats in both latency and AP@0.5
(the Pareto front) are joined and ringed. Writes the chart (default
``docs/en/_static/tradeoff.png``, matplotlib's Agg backend) and prints the points as a table.
A results file missing a field, or a field of the wrong kind, is refused naming the entry and the
field; the output is refused if it is the results file. Nothing is computed here but the front:
the numbers are the file's.
"""

import argparse
import json
import os
import os.path as osp
import sys
from typing import Dict, List, NamedTuple, Optional, Sequence

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEFAULT_RESULTS = osp.join(ROOT, 'docs', 'en', '_static', 'tradeoff.json')
DEFAULT_OUT = osp.join(ROOT, 'docs', 'en', '_static', 'tradeoff.png')
TEXT_FIELDS = ('model', 'config', 'cpu', 'command')
AP_FIELDS = ('ap50_fp32', 'ap50_int8')
LATENCY_FIELDS = ('latency_ms_fp32', 'latency_ms_int8')
REQUIRED = TEXT_FIELDS + AP_FIELDS + LATENCY_FIELDS
PRECISIONS = ('fp32', 'int8')


class ResultsError(ValueError):
    """A results file that cannot be plotted, with what is wrong in it."""


class Point(NamedTuple):
    model: str
    precision: str
    latency_ms: float
    ap50: float


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def check_entry(entry, index: int) -> List[str]:
    """What is wrong with one entry (empty if nothing)."""
    if not isinstance(entry, dict):
        return [f'entry {index} is not an object']
    name = entry.get('model') if isinstance(entry.get('model'), str) else f'entry {index}'
    missing = [f for f in REQUIRED if f not in entry]
    problems = [f'{name}: missing field(s) {", ".join(missing)}'] if missing else []
    for field in TEXT_FIELDS:
        if field in entry and not (isinstance(entry[field], str) and entry[field].strip()):
            problems.append(f'{name}: {field} must be a non-empty string')
    for field in AP_FIELDS:
        if field in entry and not (_is_number(entry[field]) and 0 <= entry[field] <= 1):
            problems.append(f'{name}: {field} must be a number in [0, 1], got {entry[field]!r}')
    for field in LATENCY_FIELDS:
        if field in entry and not (_is_number(entry[field]) and entry[field] > 0):
            problems.append(f'{name}: {field} must be a positive number of ms, '
                            f'got {entry[field]!r}')
    return problems


def load_results(path: str) -> Dict:
    """The results file, checked: every entry has every field, of the right kind."""
    try:
        with open(path) as f:
            results = json.load(f)
    except OSError as e:
        raise ResultsError(f'{path}: cannot read it ({e.strerror})') from e
    except json.JSONDecodeError as e:
        raise ResultsError(f'{path}: not JSON ({e})') from e
    entries = results.get('entries') if isinstance(results, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ResultsError(f'{path}: expected an object with a non-empty "entries" list')
    problems = [p for i, entry in enumerate(entries) for p in check_entry(entry, i)]
    if problems:
        raise ResultsError(f'{path}: ' + '; '.join(problems) +
                           f' (every entry needs {", ".join(REQUIRED)})')
    return results


def points_of(results: Dict) -> List[Point]:
    """Two points per entry: fp32 and INT8."""
    return [Point(e['model'], p, float(e[f'latency_ms_{p}']), float(e[f'ap50_{p}']))
            for e in results['entries'] for p in PRECISIONS]


def pareto_front(points: Sequence[Point]) -> List[int]:
    """Indices of the points no other point dominates (latency <= and AP >=, one of them
    strictly), fastest first."""
    def dominated(a: Point) -> bool:
        return any(b.latency_ms <= a.latency_ms and b.ap50 >= a.ap50
                   and (b.latency_ms < a.latency_ms or b.ap50 > a.ap50) for b in points)
    front = [i for i, p in enumerate(points) if not dominated(p)]
    return sorted(front, key=lambda i: (points[i].latency_ms, -points[i].ap50))


def draw(points: Sequence[Point], front: Sequence[int], cpu: str, out: str) -> None:
    """Scatter (colour = model, marker = precision), fp32 -> INT8 arrows, the front as steps."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    models = list(dict.fromkeys(p.model for p in points))
    colours = {m: plt.get_cmap('tab10')(i % 10) for i, m in enumerate(models)}
    markers = dict(fp32='o', int8='^')
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    for model in models:
        fp32, int8 = (next(p for p in points if p.model == model and p.precision == q)
                      for q in PRECISIONS)
        ax.annotate('', xy=(int8.latency_ms, int8.ap50), xytext=(fp32.latency_ms, fp32.ap50),
                    arrowprops=dict(arrowstyle='->', color=colours[model], alpha=0.5, lw=1))
    for p in points:
        ax.scatter(p.latency_ms, p.ap50, s=55, marker=markers[p.precision],
                   color=colours[p.model], zorder=3)
    fx = [points[i].latency_ms for i in front]
    fy = [points[i].ap50 for i in front]
    ax.step(fx, fy, where='post', color='black', lw=1, ls='--', zorder=2, label='Pareto front')
    ax.scatter(fx, fy, s=170, facecolors='none', edgecolors='black', lw=1.2, zorder=4)
    handles = [plt.Line2D([], [], ls='', marker='s', color=colours[m], label=m) for m in models]
    handles += [plt.Line2D([], [], ls='', marker=markers[q], color='grey', label=q.upper()
                           if q == 'int8' else q) for q in PRECISIONS]
    handles.append(plt.Line2D([], [], color='black', ls='--', marker='o', mfc='none', ms=10,
                              label='Pareto front'))
    ax.legend(handles=handles, fontsize=8, loc='lower right')
    ax.set_xlabel(f'onnxruntime latency (ms, 1 thread), {cpu}', fontsize=9)
    ax.set_ylabel('AP@0.5, synthetic val split')
    ax.set_xlim(0, max(p.latency_ms for p in points) * 1.1)
    ax.set_ylim(0, max(p.ap50 for p in points) * 1.15)
    ax.grid(alpha=0.3)
    ax.set_title('Speed / accuracy at 288x160: fp32 -> INT8 (arrows)', fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def same_file(a: str, b: str) -> bool:
    if osp.exists(a) and osp.exists(b):
        return osp.samefile(a, b)
    return osp.realpath(a) == osp.realpath(b)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('results', nargs='?', default=DEFAULT_RESULTS,
                        help='JSON file of measured numbers (default: %(default)s)')
    parser.add_argument('--out', default=DEFAULT_OUT, help='chart to write (default: %(default)s)')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    if same_file(args.results, args.out):
        print(f'error: --out {args.out} is the results file; refusing to overwrite it',
              file=sys.stderr)
        return 2
    try:
        results = load_results(args.results)
    except ResultsError as e:
        print(f'error: {e}', file=sys.stderr)
        return 2
    points = points_of(results)
    front = pareto_front(points)
    cpus = sorted({e['cpu'] for e in results['entries']})
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    draw(points, front, ' / '.join(cpus), args.out)
    print(f'{"model":<40} {"precision":<9} {"ms":>6} {"AP@0.5":>7}  front')
    for i, p in enumerate(points):
        print(f'{p.model:<40} {p.precision:<9} {p.latency_ms:>6.1f} {p.ap50:>7.4f}  '
              f'{"yes" if i in front else ""}')
    print(f'wrote {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
