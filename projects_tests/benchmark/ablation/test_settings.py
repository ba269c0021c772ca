"""A run's settings: seeds checked and normalised once, for every part of the runner."""

import pytest

from mmdet_lite.benchmark.ablation import DEFAULT_TITLE, AblationSettings


def test_defaults_and_seed_list():
    s = AblationSettings(work_dir='wd', root='.')
    assert (s.data, s.seeds, s.only_seeds, s.report_only, s.title) == (
        'data/synthetic', 1, None, False, DEFAULT_TITLE)
    assert s.seed_list == [0]
    assert AblationSettings(work_dir='wd', root='.', seeds=3).seed_list == [0, 1, 2]


def test_only_seeds_are_a_sorted_subset():
    s = AblationSettings(work_dir='wd', root='.', seeds=3, only_seeds=[2, 0, 2],
                         cfg_options=['a=1'], latency_shape=[64, 96])
    assert s.seed_list == [0, 2] and s.only_seeds == (0, 2)
    assert s.cfg_options == ('a=1',) and s.latency_shape == (64, 96)
    for bad in ([3], [], [-1]):
        with pytest.raises(ValueError, match=r'only_seeds must be a non-empty subset of 0 \.\. 2'):
            AblationSettings(work_dir='wd', root='.', seeds=3, only_seeds=bad)
    with pytest.raises(ValueError, match='seeds must be >= 1'):
        AblationSettings(work_dir='wd', root='.', seeds=0)
