"""The ablation runner: each row trained (or reused) and evaluated seed by seed, then reported."""

import json
import os
import os.path as osp
import shutil
import sys
import time
from typing import Dict, List, Optional, Sequence, Tuple

from mmengine.config import Config

from ..complexity import model_complexity
from .evaluate import evaluate_checkpoint, ms_per_image
from .fingerprint import check_fingerprint, run_fingerprint
from .logs import logged_training_seconds, run_logged
from .plan import TablePlan, run_files, run_options, seed_dir
from .report import write_report
from .settings import AblationSettings

# one row/seed run: its AP dict, its training seconds (None when unknown), its checkpoint
RunResult = Tuple[dict, Optional[float], str]


def _train(spec: dict, seed: int, cfg_file: str, run_dir: str, opts: Sequence[str],
           fingerprint: str, root: str) -> float:
    """Train (or resume) one row/seed run with ``tools/train.py``; return this attempt's
    seconds. The fingerprint is written first, so an interrupted run is checked on resuming."""
    print(f"\n== {spec['name']}, seed {seed}: training {spec['config']}", flush=True)
    os.makedirs(run_dir, exist_ok=True)
    with open(osp.join(run_dir, 'fingerprint.txt'), 'w') as f:
        f.write(fingerprint + '\n')
    return run_logged([sys.executable, osp.join(root, 'tools', 'train.py'), cfg_file,
                       '--work-dir', run_dir, '--resume', '--cfg-options', *opts],
                      osp.join(run_dir, 'train.log'), append=True)


def train_and_evaluate(spec: dict, seed: int, run_dir: str, settings: AblationSettings,
                       teacher_ckpt: Optional[str], force: bool) -> RunResult:
    """One row at one seed: train (unless its checkpoint exists), evaluate (unless its
    ``result.json`` exists); returns the AP dict, the training seconds (of every attempt, also
    for a reused run: :func:`logged_training_seconds`; None when unknown) and the checkpoint
    path. A run dir trained with another configuration is refused
    (:func:`check_fingerprint`)."""
    cfg_file = osp.join(settings.root, spec['config'])
    cfg = Config.fromfile(cfg_file)
    ckpt, result_file = run_files(cfg, run_dir)
    if force and osp.isdir(run_dir):
        shutil.rmtree(run_dir)  # a retrain must not resume from the old epochs
    opts = run_options(cfg, seed, settings.cfg_options, teacher_ckpt)
    fingerprint = run_fingerprint(cfg, opts)
    check_fingerprint(run_dir, fingerprint)
    trained_now, attempt_s = not osp.isfile(ckpt), 0.0
    if trained_now:
        attempt_s = _train(spec, seed, cfg_file, run_dir, opts, fingerprint, settings.root)
    # every attempt of a resumed (or reused) run, from the logs; this attempt's at least
    train_s = max(attempt_s, logged_training_seconds(run_dir) or 0.0) or None
    if osp.isfile(result_file) and not trained_now:
        with open(result_file) as f:
            stored = json.load(f)
        return stored['ap'], train_s or stored.get('train_s'), ckpt
    ap = evaluate_checkpoint(settings.root, spec.get('eval_config') or spec['config'], ckpt,
                             run_dir)
    with open(result_file, 'w') as f:
        json.dump(dict(ap=ap, seed=seed, train_s=train_s, config=spec['config']), f, indent=2)
    return ap, train_s, ckpt


def stored_result(spec: dict, seed: int, run_dir: str, settings: AblationSettings,
                  teacher_ckpt: Optional[str]) -> Optional[RunResult]:
    """A row/seed run's stored result (``--report-only``), None when it has none yet; the run
    dir's fingerprint is checked as for training."""
    cfg = Config.fromfile(osp.join(settings.root, spec['config']))
    ckpt, result = run_files(cfg, run_dir)
    if not osp.isfile(result):
        return None
    check_fingerprint(run_dir, run_fingerprint(
        cfg, run_options(cfg, seed, settings.cfg_options, teacher_ckpt)))
    with open(result) as f:
        stored = json.load(f)
    # the logs count every attempt of a resumed run (result.json's, written before, the last)
    return stored['ap'], logged_training_seconds(run_dir) or stored.get('train_s'), ckpt


class _Table:
    """The rows being filled: results per seed, checkpoints and the teachers' checkpoints."""

    def __init__(self, plan: TablePlan, settings: AblationSettings) -> None:
        self.plan, self.settings = plan, settings
        self.rows = {spec['name']: dict(name=spec['name'], config=spec['config'], seeds={},
                                        train_s={}, baseline=spec.get('baseline'),
                                        teacher=plan.is_teacher(spec),
                                        direction=spec.get('direction', 1))
                     for spec in plan.runs}
        self.ckpts: Dict[str, str] = {}
        self.teacher_ckpts: Dict[str, str] = {}

    def run(self, spec: dict, seed: int) -> None:
        """Train and evaluate (or, report-only, read) one row at one seed."""
        s = self.settings
        rdir = seed_dir(s.work_dir, spec, seed)
        teacher_ckpt = self.teacher_ckpts.get(self.plan.teacher_of.get(spec['config']))
        if s.report_only:
            found = stored_result(spec, seed, rdir, s, teacher_ckpt)
            if found is None:
                return
        else:
            force = s.force_teacher if self.plan.is_teacher(spec) else s.force
            found = train_and_evaluate(spec, seed, rdir, s, teacher_ckpt, force)
        row = self.rows[spec['name']]
        row['seeds'][seed], row['train_s'][seed], self.ckpts[spec['name']] = found
        if not s.report_only:
            with open(osp.join(s.work_dir, 'ablation.json'), 'w') as f:
                json.dump(list(self.rows.values()), f, indent=2)

    def run_teachers(self) -> None:
        """Each teacher once (seed 0), first: the distillation rows need its checkpoint."""
        for spec in self.plan.runs:
            if self.plan.is_teacher(spec):
                self.run(spec, 0)
                if spec['name'] in self.ckpts:
                    self.teacher_ckpts[osp.normpath(spec['config'])] = self.ckpts[spec['name']]

    def add_costs(self, specs: Sequence[dict]) -> Tuple[str, ...]:
        """Params, GMACs and CPU ms per image of each row of ``specs`` (from its evaluation
        config and checkpoint); returns the classes of the evaluation configs."""
        classes, shape = (), self.settings.latency_shape
        for spec in specs:
            eval_cfg = osp.join(self.settings.root, spec.get('eval_config') or spec['config'])
            test_cfg = Config.fromfile(eval_cfg)
            classes = tuple(test_cfg.test_dataloader.dataset.metainfo['classes'])
            cplx = model_complexity(test_cfg, shape)
            self.rows[spec['name']].update(
                params_m=cplx['params_M'], gmacs=cplx['gmacs'],
                ms=ms_per_image(eval_cfg, self.ckpts[spec['name']], shape))
        return classes


def run_ablation(runs: Sequence[dict], settings: AblationSettings) -> str:
    """Train (or reuse) and evaluate each row of ``runs`` at the seeds of ``settings``, seed by
    seed (all rows at seed 0, then at seed 1 ...); write the report; return its text.

    Each run is ``dict(name, config, eval_config=None, baseline=None, direction=1)`` with paths
    relative to ``settings.root`` (the repository, whose ``tools/train.py`` and ``tools/test.py``
    run each row). The teacher of a distillation row is the one its config names
    (``model.teacher.config``): it is trained once (seed 0), before the rows, and its checkpoint
    given to the rows it teaches; a teacher that is not one of ``runs`` is added as a row, so the
    table shows it. ``settings.report_only`` trains nothing and reports the row/seed results
    already in the work dir. Every run dir records the fingerprint of what it trained
    (:func:`run_fingerprint`); a run dir whose fingerprint differs from the current
    configuration's is refused. ``settings.only_seeds`` trains and reports only those seeds, so
    that processes sharing the work dir can split a table by seed (two runs of one row/seed at
    once would share a run dir: give each process its own seeds).
    """
    start = time.time()
    work_dir = settings.work_dir
    os.makedirs(work_dir, exist_ok=True)
    if not osp.isfile(osp.join(settings.data, 'annotations', 'instances_val.json')):
        run_logged([sys.executable, osp.join(settings.root, 'tools', 'make_synthetic.py'),
                    '--out', settings.data], osp.join(work_dir, 'make_synthetic.log'))
    plan = TablePlan.build(runs, settings.root)
    table = _Table(plan, settings)
    table.run_teachers()
    # seed by seed, so that every finished sitting adds complete pairs to the comparisons
    for seed in settings.seed_list:
        for spec in plan.runs:
            if not plan.is_teacher(spec):
                table.run(spec, seed)
    done = [spec for spec in plan.runs if table.rows[spec['name']]['seeds']]
    classes = table.add_costs(done)
    rows: List[dict] = [table.rows[spec['name']] for spec in done]
    text = write_report(rows, classes, work_dir, time.time() - start, settings.title,
                        settings.note)
    print('\n' + text)
    print(f"written: {osp.join(work_dir, 'ablation.md')}, {osp.join(work_dir, 'ablation.png')}")
    return text


__all__ = ['run_ablation', 'stored_result', 'train_and_evaluate']
