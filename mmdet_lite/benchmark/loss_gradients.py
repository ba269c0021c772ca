"""How much each loss term pulls on each part of a model: per-term gradient norms and their
alignment with the detection gradient.

A distillation term whose gradient on the backbone is several times the detection gradient
(and not aligned with it) takes over the backbone: Adam normalises every parameter by the RMS of
its *total* gradient, so the detection signal's step there shrinks by about
||g_det|| / ||g_det + g_kd||. ``tools/analyze_loss_gradients.py`` prints this table for a config.
"""

import re
from collections import OrderedDict
from typing import Dict, Iterable, List

import torch
from torch import Tensor, nn

DEFAULT_KD_PATTERN = r'(^|_)(kd|ld|distill)(_|$)'


def _loss_terms(losses: Dict[str, object]) -> 'OrderedDict[str, Tensor]':
    """The differentiable ``loss*`` entries of a ``model.loss()`` dict, lists summed."""
    terms: OrderedDict[str, Tensor] = OrderedDict()
    for name, value in losses.items():
        if 'loss' not in name:
            continue
        if isinstance(value, (list, tuple)):
            value = sum(value)
        if isinstance(value, Tensor) and value.requires_grad:
            terms[name] = value
    return terms


def parameter_groups(model: nn.Module) -> 'OrderedDict[str, List[nn.Parameter]]':
    """Trainable parameters grouped by the model's top-level children (backbone, neck, head)."""
    groups: OrderedDict[str, List[nn.Parameter]] = OrderedDict()
    for name, child in model.named_children():
        params = [p for p in child.parameters() if p.requires_grad]
        if params:
            groups[name] = params
    return groups


def loss_gradient_stats(model: nn.Module, batches: Iterable[dict],
                        kd_pattern: str = DEFAULT_KD_PATTERN) -> Dict[str, dict]:
    """Per loss term: mean value, gradient norm per parameter group and cosine with the
    detection gradient (the sum of the terms whose name does not match ``kd_pattern``).

    Each batch is a dataloader batch (``inputs``/``data_samples``), run through the model's
    data preprocessor in training mode. Norms and cosines are averaged over the batches. The
    rows ``detection`` and ``distillation`` are the sums of the two kinds of terms.

    Returns ``{term: {'value': float, 'kd': bool, group: {'norm': float, 'cos_det': float}}}``.
    """
    kd_re = re.compile(kd_pattern)
    groups = parameter_groups(model)
    params = [p for group in groups.values() for p in group]
    spans, start = {}, 0
    for g_name, group in groups.items():
        spans[g_name] = (start, start + len(group))
        start += len(group)
    stats: Dict[str, dict] = OrderedDict()
    n = 0
    model.train()
    for batch in batches:
        data = model.data_preprocessor(batch, True)
        terms = _loss_terms(model.loss(data['inputs'], data.get('data_samples')))
        det = [t for k, t in terms.items() if not kd_re.search(k)]
        kd = [t for k, t in terms.items() if kd_re.search(k)]
        if not det:
            raise ValueError(f'No detection loss among {list(terms)}: check kd_pattern.')
        rows = OrderedDict((k, (t, bool(kd_re.search(k)))) for k, t in terms.items())
        rows['detection'] = (sum(det), False)
        if kd:
            rows['distillation'] = (sum(kd), True)
        grads: Dict[str, Dict[str, Tensor]] = {}
        for name, (loss, _) in rows.items():
            # one backward pass per term over all groups, then split by group
            gs = torch.autograd.grad(loss, params, retain_graph=True, allow_unused=True)
            # a parameter a term does not reach has a zero gradient, not a missing one
            flat = [(g if g is not None else torch.zeros_like(p)).reshape(-1).double()
                    for g, p in zip(gs, params, strict=True)]
            grads[name] = {g_name: torch.cat(flat[start:stop])
                           for g_name, (start, stop) in spans.items()}
        for name, (loss, is_kd) in rows.items():
            row = stats.setdefault(name, {'value': 0.0, 'kd': is_kd})
            row['value'] += float(loss.detach())
            for g_name in groups:
                g, g_det = grads[name][g_name], grads['detection'][g_name]
                cell = row.setdefault(g_name, {'norm': 0.0, 'cos_det': 0.0})
                norm = float(g.norm())
                cell['norm'] += norm
                if norm > 0 and float(g_det.norm()) > 0:
                    cell['cos_det'] += float(g @ g_det) / (norm * float(g_det.norm()))
        n += 1
    if n == 0:
        raise ValueError('No batch given.')
    for row in stats.values():
        row['value'] /= n
        for g_name in groups:
            row[g_name]['norm'] /= n
            row[g_name]['cos_det'] /= n
    return stats


def format_loss_gradient_table(stats: Dict[str, dict]) -> str:
    """A Markdown table of ``loss_gradient_stats``: one row per term; per parameter group the
    gradient norm, its ratio to the detection gradient's norm and their cosine."""
    groups = [k for k in next(iter(stats.values())) if k not in ('value', 'kd')]
    head = '| loss term | value |' + ''.join(
        f' {g} grad norm | {g} / detection | {g} cos with detection |' for g in groups)
    sep = '|---|---:|' + '---:|---:|---:|' * len(groups)
    lines = [head, sep]
    for name, row in stats.items():
        cells = [f'| {name}{" (KD)" if row["kd"] and name != "distillation" else ""} '
                 f'| {row["value"]:.4g} |']
        for g in groups:
            det = stats['detection'][g]['norm']
            ratio = row[g]['norm'] / det if det > 0 else float('nan')
            cells.append(f' {row[g]["norm"]:.3g} | {ratio:.2f} | {row[g]["cos_det"]:+.2f} |')
        lines.append(''.join(cells))
    return '\n'.join(lines)


__all__ = ['DEFAULT_KD_PATTERN', 'format_loss_gradient_table', 'loss_gradient_stats',
           'parameter_groups']
