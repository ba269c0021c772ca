"""2:4 masks: hand cases, the conv layout (groups along input channels), a naive loop."""

import itertools

import pytest
import torch
import torch.nn as nn

from mmdet_lite.utils.nm_sparsity import (
    checkpoint_report,
    eligible_layers,
    nm_mask,
    nm_mask_is_valid,
    nm_pattern_stats,
)


def test_linear_hand_case():
    w = torch.tensor([[1.0, -3.0, 2.0, 0.5, 0.1, 0.2, -0.3, 0.4]])
    keep = nm_mask(w)
    assert keep.tolist() == [[False, True, True, False, False, False, True, True]]
    assert nm_mask_is_valid(keep) and nm_pattern_stats(w * keep) == (1.0, 0.5)
    assert nm_pattern_stats(w) == (0.0, 0.0)


def test_conv_groups_run_along_input_channels_against_naive_loop():
    torch.manual_seed(0)
    w = torch.randn(6, 8, 3, 3)
    keep = nm_mask(w)
    for o, y, x, g in itertools.product(range(6), range(3), range(3), range(2)):
        group = w[o, 4 * g:4 * g + 4, y, x].abs()
        want = torch.zeros(4, dtype=torch.bool)
        want[group.argsort(descending=True)[:2]] = True
        assert torch.equal(keep[o, 4 * g:4 * g + 4, y, x], want)


def test_other_ratios_and_bad_shapes():
    w = torch.randn(4, 16)
    assert nm_mask_is_valid(nm_mask(w, 1, 4), 1, 4)
    assert nm_mask(w, 6, 8).sum() == 4 * 16 // 4
    with pytest.raises(ValueError, match='groups of 4'):
        nm_mask(torch.randn(4, 6))
    with pytest.raises(ValueError, match='conv'):
        nm_mask(torch.randn(4, 4, 4))


def test_eligible_layers_skip_depthwise_stem_and_excluded():
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Conv2d(8, 8, 3, groups=8),
                          nn.Conv2d(8, 16, 1), nn.Linear(16, 4), nn.Linear(6, 2))
    assert [n for n, _ in eligible_layers(model)] == ['2', '3']
    assert [n for n, _ in eligible_layers(model, exclude=[r'^3$'])] == ['2']


def test_checkpoint_report_finds_violations_and_mask_mismatch():
    torch.manual_seed(0)
    good = torch.randn(8, 8, 1, 1)
    good = good * nm_mask(good)
    bad = torch.randn(8, 8)
    state = {'a.weight': good, 'b.weight': bad, 'dw.weight': torch.randn(8, 1, 3, 3)}
    rows = {r['name']: r for r in checkpoint_report(state)}
    assert set(rows) == {'a', 'b'} and rows['a']['ok'] and not rows['b']['ok']
    masks = {'a': nm_mask(torch.randn(8, 8, 1, 1))}  # a different mask than the zeros
    (row, ) = checkpoint_report(state, masks)
    assert not row['ok'] and 'mask' in row['problem']
