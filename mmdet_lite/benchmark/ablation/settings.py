"""The settings of one ablation run: what a ``tools/reproduce_*.py`` command line sets."""

from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

DEFAULT_TITLE = 'Ablation on the built-in synthetic benchmark'


@dataclass(frozen=True)
class AblationSettings:
    """How :func:`~mmdet_lite.benchmark.ablation.run_ablation` trains, evaluates and reports.

    - ``work_dir``: where each row/seed run lives (``WORK_DIR/<config>/seed_<k>/``) and the
      report is written;
    - ``root``: the repository whose ``tools/train.py`` and ``tools/test.py`` run each row; the
      rows' config paths are relative to it;
    - ``data``: the synthetic benchmark root, made with ``tools/make_synthetic.py`` if missing;
    - ``force`` / ``force_teacher``: retrain the student rows / the teachers;
    - ``cfg_options``: extra ``key=value`` overrides for every training run;
    - ``latency_shape``: ``(H, W)`` of the complexity and CPU latency measurements;
    - ``title``, ``note``: the report's title and the sentence put before its legend;
    - ``seeds``: train every row (the teachers excepted) with seeds ``0 .. seeds-1``;
    - ``only_seeds``: train and report only these of them (processes sharing ``work_dir`` split
      a table by seed), ``None`` for all;
    - ``report_only``: train nothing, report the results already in ``work_dir``.
    """

    work_dir: str
    root: str
    data: str = 'data/synthetic'
    force: bool = False
    force_teacher: bool = False
    cfg_options: Tuple[str, ...] = ()
    latency_shape: Tuple[int, int] = (320, 576)
    title: str = DEFAULT_TITLE
    note: str = ''
    seeds: int = 1
    only_seeds: Optional[Tuple[int, ...]] = None
    report_only: bool = False

    def __post_init__(self) -> None:
        if self.seeds < 1:
            raise ValueError(f'seeds must be >= 1, got {self.seeds}')
        only = None if self.only_seeds is None else tuple(sorted(set(self.only_seeds)))
        if only is not None and (not only or not set(only) <= set(range(self.seeds))):
            raise ValueError(f'only_seeds must be a non-empty subset of 0 .. {self.seeds - 1} '
                             f'(--seeds {self.seeds}), got {list(self.only_seeds)}')
        object.__setattr__(self, 'only_seeds', only)
        object.__setattr__(self, 'cfg_options', tuple(self.cfg_options))
        object.__setattr__(self, 'latency_shape', _shape(self.latency_shape))

    @property
    def seed_list(self) -> List[int]:
        """The seeds the student rows train and report, in order."""
        return list(range(self.seeds)) if self.only_seeds is None else list(self.only_seeds)


def _shape(shape: Sequence[int]) -> Tuple[int, int]:
    h, w = shape
    return int(h), int(w)


__all__ = ['AblationSettings', 'DEFAULT_TITLE']
