"""The ablation report: ``ablation.md`` (the table) and ``ablation.png`` (AP@0.5 bars)."""

import os.path as osp
import statistics
from typing import List, Optional, Sequence

import torch

from ..report import markdown_table, new_figure, save_figure, write_markdown
from .settings import DEFAULT_TITLE
from .stats import Comparison, compare_rows, mean_std


def _cell(values: Sequence[float]) -> str:
    m, sd = mean_std(values)
    return f'{m:.3f}' if len(values) == 1 else f'{m:.3f} ± {sd:.3f}'


def _compare_cells(row: dict) -> List[str]:
    """The cells vs, difference ± SE, t, p, 95 % CI and verdict of ``row``."""
    c: Optional[Comparison] = row.get('comparison')
    if c is None:
        return [''] * 6
    se = '' if c.se is None else f' ± {c.se:.3f}'
    if c.t is None:
        return [row['baseline'], f'{c.diff:+.3f}{se}', '', '', '', c.verdict]
    p = '< 0.001' if c.p < 0.001 else f'{c.p:.3f}'
    return [row['baseline'], f'{c.diff:+.3f}{se}', f'{c.t:+.2f}', p,
            f'[{c.ci[0]:+.3f}, {c.ci[1]:+.3f}]', c.verdict]


def table(rows: List[dict], classes: Sequence[str]) -> List[str]:
    """The markdown lines of the table of ``rows`` (compared: :func:`compare_rows`)."""
    header = ['model', 'seeds', 'mAP@0.5', *[f'AP50 {c}' for c in classes], 'vs',
              'difference ± SE', 't', 'p', '95 % CI', 'verdict', 'params (M)', 'GMACs',
              'ms/image', 'train time (min)']
    cells = []
    for r in rows:
        aps = list(r['seeds'].values())
        trained = [t for t in r['train_s'].values() if t is not None]
        train = f'{statistics.fmean(trained) / 60:.1f}' if trained else 'reused'
        cells.append([r['name'], len(aps), _cell([a['mAP50'] for a in aps]),
                      *[_cell([a[c] for a in aps]) for c in classes], *_compare_cells(r),
                      f"{r['params_m']:.2f}", f"{r['gmacs']:.2f}", f"{r['ms']:.0f}", train])
    return markdown_table(header, cells)


def figure(rows: List[dict], classes: Sequence[str], path: str, title: str) -> None:
    """Bars of mAP@0.5 and each class's AP@0.5 per row, error bars = std over seeds."""
    import numpy as np
    groups = ['mAP50', *classes]
    x = np.arange(len(groups))
    width = 0.8 / len(rows)
    fig, ax = new_figure((9, 4))
    for k, r in enumerate(rows):
        stats = [mean_std([a[g] for a in r['seeds'].values()]) for g in groups]
        ax.bar(x + (k - (len(rows) - 1) / 2) * width, [m for m, _ in stats], width,
               yerr=[sd for _, sd in stats], capsize=2, label=r['name'])
    ax.set_xticks(x, ['mAP@0.5', *[f'AP50 {c}' for c in classes]])
    ax.set_ylabel('AP@0.5 (synthetic val), mean ± std')
    ax.set_title(title)
    ax.legend(fontsize=8)
    save_figure(fig, path)


def write_report(rows: List[dict], classes: Sequence[str], out_dir: str, total_s: float,
                 title: str = DEFAULT_TITLE, note: str = '') -> str:
    """``ablation.md`` (table) and ``ablation.png`` (bars per class, error bars = std over
    seeds) in ``out_dir``; returns the markdown.

    Each row: ``name``, ``seeds`` (seed -> AP dict with ``mAP50`` and one entry per class),
    ``train_s`` (seed -> seconds, None when unknown), ``params_m``, ``gmacs``, ``ms`` and
    optionally ``baseline`` (name of the row it ablates), ``direction`` (+1 when the paper
    finds this row better than its baseline, -1 worse) and ``teacher`` (trained once: a fixed
    value in comparisons). The rows with a baseline get their ``comparison``.
    """
    compare_rows(rows)
    text = write_markdown([
        f'# {title}', '',
        f'{note}{" " if note else ""}Cells are mean ± std over the seeds; "difference" is the '
        'paired difference of mAP@0.5 to the row named in "vs" over their common seeds (a row '
        'trained once, a teacher, is a fixed value for every seed of the other), ± its standard '
        'error; t, p (two-sided) and the 95 % CI of the mean difference are those of the paired '
        't-test (n-1 degrees of freedom); verdict: reproduced / reversed when p < 0.05 in / '
        "against the paper's direction, else not resolved. CPU ms per image at batch 1, "
        f'{torch.get_num_threads()} threads. '
        f'Total run time {total_s / 60:.1f} min.', '',
        *table(rows, classes)], osp.join(out_dir, 'ablation.md'))
    figure(rows, classes, osp.join(out_dir, 'ablation.png'), title)
    return text


__all__ = ['figure', 'table', 'write_report']
