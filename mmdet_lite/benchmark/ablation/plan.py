"""Run planning: which runs a table needs (teachers first), where each row/seed run lives, which
files it leaves and which options it trains with."""

import os.path as osp
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from mmengine.config import Config


def teacher_config(cfg: Config) -> Optional[str]:
    """The teacher config a distillation config names (normalised path), else ``None``."""
    from mmdet_lite.models.distillers import is_distiller
    if not is_distiller(cfg.model.type):
        return None
    return osp.normpath(cfg.model.teacher.config)


def plan_teachers(runs: Sequence[dict],
                  root: str) -> Tuple[List[dict], Dict[str, Optional[str]]]:
    """``runs`` with each teacher a distillation row names (``model.teacher.config``) that is
    not already a row put first, and each row's teacher config (``None`` for a plain row)."""
    teacher_of = {spec['config']: teacher_config(Config.fromfile(osp.join(root, spec['config'])))
                  for spec in runs}
    listed = {osp.normpath(spec['config']) for spec in runs}
    added = [dict(name=f'teacher ({osp.splitext(osp.basename(t))[0]})', config=t)
             for t in dict.fromkeys(filter(None, teacher_of.values())) if t not in listed]
    return [*added, *runs], teacher_of


@dataclass(frozen=True)
class TablePlan:
    """The runs of a table, teachers included (:func:`plan_teachers`), and who teaches whom."""

    runs: List[dict]
    teacher_of: Dict[str, Optional[str]]

    @classmethod
    def build(cls, runs: Sequence[dict], root: str) -> 'TablePlan':
        """The plan of ``runs`` (configs relative to ``root``)."""
        return cls(*plan_teachers(runs, root))

    def is_teacher(self, spec: dict) -> bool:
        """Whether ``spec`` is the teacher of a distillation row (trained once, at seed 0)."""
        return osp.normpath(spec['config']) in set(filter(None, self.teacher_of.values()))


def seed_dir(work_dir: str, spec: dict, seed: int) -> str:
    """A row/seed run's directory: ``WORK_DIR/<config name>/seed_<k>``."""
    return osp.join(work_dir, osp.splitext(osp.basename(spec['config']))[0], f'seed_{seed}')


def run_files(cfg: Config, run_dir: str) -> Tuple[str, str]:
    """A row/seed run's final checkpoint and its ``result.json``."""
    return (osp.join(run_dir, f'epoch_{cfg.train_cfg.max_epochs}.pth'),
            osp.join(run_dir, 'result.json'))


def run_options(cfg: Config, seed: int, cfg_options: Sequence[str],
                teacher_ckpt: Optional[str]) -> List[str]:
    """The ``--cfg-options`` a row/seed run trains with."""
    from mmdet_lite.models.distillers import is_distiller
    opts = [*cfg_options, f'randomness.seed={seed}']
    if is_distiller(cfg.model.type):
        opts.append(f'model.teacher.checkpoint={teacher_ckpt}')
    return opts


__all__ = ['TablePlan', 'plan_teachers', 'run_files', 'run_options', 'seed_dir', 'teacher_config']
