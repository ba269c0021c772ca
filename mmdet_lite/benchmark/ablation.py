"""Run a paper's ablation table on the synthetic benchmark: train, evaluate and report each row.

Used by ``tools/reproduce_*.py``. Each row is trained once per seed (``--seeds N``: seeds
0 .. N-1, passed as ``randomness.seed``), each run a separate ``tools/train.py`` process in
``WORK_DIR/<config>/seed_<k>/``; a run whose result (``result.json``) or final checkpoint exists
is reused, so a table that does not fit one sitting is finished by running the same command
again. The teacher (the row with ``teacher=True``) is trained once and reused by the
distillation rows, which are
evaluated with their plain student config (a student checkpoint). A row that names the row it
ablates (``baseline``) and the paper's direction gets the paired difference over the common seeds
with its standard error, and a verdict: reproduced (> 2 SE in the paper's direction), reversed
(> 2 SE against) or not resolved.
"""

import argparse
import copy
import glob
import hashlib
import json
import math
import os
import os.path as osp
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from mmengine.config import Config, DictAction

from .report import markdown_table, new_figure, save_figure, write_markdown
from .timing import median_ms


def run_logged(cmd: List[str], log_path: str, append: bool = False) -> float:
    """Run ``cmd``, write its output to ``log_path`` (echoing progress; ``append`` keeps what an
    earlier attempt wrote there); return seconds taken."""
    print('$ ' + ' '.join(cmd), flush=True)
    start = time.time()
    with open(log_path, 'a' if append else 'w') as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                env=dict(os.environ, PYTHONUNBUFFERED='1'))
        for line in proc.stdout:
            log.write(line)
            if 'Epoch(' in line or 'Error' in line or 'bbox_mAP_copypaste' in line:
                print('  ' + line.rstrip()[:160], flush=True)
        if proc.wait() != 0:
            raise SystemExit(f'command failed (exit {proc.returncode}), see {log_path}')
    return time.time() - start


_LOG_STAMP = re.compile(r'^(\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}) - mmengine')


def logged_training_seconds(run_dir: str) -> Optional[float]:
    """Wall time of a run's training over all its attempts: mmengine writes one log per start,
    ``run_dir/<timestamp>/<timestamp>.log``, so a run resumed after an interruption is the sum of
    each log's last minus first time stamp (the minutes before a kill after the last logged line
    excepted). None when no log has two time stamps."""
    total, found = 0.0, False
    for log in sorted(glob.glob(osp.join(run_dir, '[0-9]*_[0-9]*', '[0-9]*_[0-9]*.log'))):
        stamps = []
        with open(log, errors='replace') as f:
            for line in f:
                m = _LOG_STAMP.match(line)
                if m:
                    stamps.append(m.group(1))
        if len(stamps) >= 2:
            first, last = (datetime.strptime(t, '%Y/%m/%d %H:%M:%S') for t in (stamps[0],
                                                                               stamps[-1]))
            total += (last - first).total_seconds()
            found = True
    return total if found else None


def ap50_per_class(ann_file: str, det_file: str, classes: Sequence[str]) -> Dict[str, float]:
    """AP@0.5 per class and overall with pycocotools, as mmdet's CocoMetric table computes it."""
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval
    gt = COCO(ann_file)
    name_to_id = {c['name']: c['id'] for c in gt.loadCats(gt.getCatIds())}
    with open(det_file) as f:
        dets = json.load(f)
    if not dets:
        return dict({c: 0.0 for c in classes}, mAP50=0.0)
    ev = COCOeval(gt, gt.loadRes(dets), 'bbox')
    ev.params.catIds = [name_to_id[c] for c in classes]
    ev.evaluate()
    ev.accumulate()
    ev.summarize()
    # precision: [iou thr, recall, class, area range, max dets]; iou 0.5, all areas, 100 dets
    prec = ev.eval['precision'][0, :, :, 0, -1]
    out = {}
    for k, c in enumerate(classes):
        p = prec[:, k]
        p = p[p > -1]
        out[c] = float(p.mean()) if p.size else 0.0
    out['mAP50'] = float(ev.stats[1])
    return out


def ms_per_image(cfg_file: str, ckpt: str, shape: Sequence[int], repeats: int = 20) -> float:
    """Median CPU latency of ``predict`` (network + decoding) for one image of ``shape``."""
    from mmdet.structures import DetDataSample

    from mmdet_lite.export import load_detector
    model, _ = load_detector(cfg_file, ckpt)  # strict load, eval mode
    h, w = shape
    x = torch.randn(1, 3, h, w)
    meta = dict(img_shape=(h, w), ori_shape=(h, w), batch_input_shape=(h, w),
                scale_factor=(1.0, 1.0))
    samples = [DetDataSample(metainfo=meta)]
    with torch.no_grad():
        return median_ms(lambda: model.predict(x, samples), repeats)


def mean_std(values: Sequence[float]) -> Tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value)."""
    values = list(values)
    return statistics.fmean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def paired_difference(row: Dict[int, float], base: Dict[int, float], fixed_base: bool = False,
                      fixed_row: bool = False) -> Tuple[float, Optional[float], int]:
    """Mean of ``row[s] - base[s]`` over the seeds both have, its standard error and the number
    of pairs. A ``fixed_base`` (or ``fixed_row``) with a single run (a teacher, trained once) is
    paired with every seed of the other side; otherwise only the common seeds pair, so that a row
    whose seeds are not all trained yet counts as one pair, not as a fixed reference.
    The standard error is None with fewer than 2 pairs."""
    if fixed_base and len(base) == 1:
        (b,) = base.values()
        diffs = [v - b for v in row.values()]
    elif fixed_row and len(row) == 1:
        (r,) = row.values()
        diffs = [r - v for v in base.values()]
    else:
        diffs = [row[s] - base[s] for s in sorted(set(row) & set(base))]
    if not diffs:
        raise ValueError('no common seeds to pair')
    n = len(diffs)
    se = statistics.stdev(diffs) / math.sqrt(n) if n > 1 else None
    return statistics.fmean(diffs), se, n


def verdict(diff: float, se: Optional[float], direction: int) -> str:
    """``reproduced`` if ``diff`` exceeds 2 SE in the paper's ``direction`` (+1: the row is
    better than its baseline), ``reversed`` if it does the other way, else ``not resolved``."""
    if se is None:
        return 'single run'
    if diff * direction > 2 * se:
        return 'reproduced'
    if diff * direction < -2 * se:
        return 'reversed'
    return 'not resolved'


def _cell(values: Sequence[float]) -> str:
    m, sd = mean_std(values)
    return f'{m:.3f}' if len(values) == 1 else f'{m:.3f} ± {sd:.3f}'


def compare_rows(rows: List[dict]) -> None:
    """Fill ``diff``, ``se``, ``pairs`` and ``verdict`` of every row that names a ``baseline``
    (the name of another row) from the per-seed mAP@0.5 of both rows. A row with
    ``teacher=True`` (trained once) is a fixed reference for every seed of the other side, as
    baseline or as the compared row; two student rows pair over their common seeds only."""
    by_name = {r['name']: r for r in rows}
    for r in rows:
        base = by_name.get(r.get('baseline'))
        if base is None:
            continue
        r['diff'], r['se'], r['pairs'] = paired_difference(
            {s: ap['mAP50'] for s, ap in r['seeds'].items()},
            {s: ap['mAP50'] for s, ap in base['seeds'].items()},
            fixed_base=base.get('teacher', False), fixed_row=r.get('teacher', False))
        r['verdict'] = verdict(r['diff'], r['se'], r.get('direction', 1))


def write_report(rows: List[dict], classes: Sequence[str], out_dir: str, total_s: float,
                 title: str = 'Ablation on the built-in synthetic benchmark',
                 note: str = '') -> str:
    """``ablation.md`` (table) and ``ablation.png`` (bars per class, error bars = std over
    seeds) in ``out_dir``.

    Each row: ``name``, ``seeds`` (seed -> AP dict with ``mAP50`` and one entry per class),
    ``train_s`` (seed -> seconds, None when unknown), ``params_m``, ``gmacs``, ``ms`` and
    optionally ``baseline`` (name of the row it ablates) and ``direction`` (+1 when the paper
    finds this row better than its baseline, -1 worse).
    """
    compare_rows(rows)
    header = ['model', 'seeds', 'mAP@0.5', *[f'AP50 {c}' for c in classes], 'vs',
              'difference ± SE', 'verdict', 'params (M)', 'GMACs', 'ms/image',
              'train time (min)']
    cells = []
    for r in rows:
        aps = list(r['seeds'].values())
        trained = [t for t in r['train_s'].values() if t is not None]
        train = f'{statistics.fmean(trained) / 60:.1f}' if trained else 'reused'
        if 'diff' in r:
            se = '' if r['se'] is None else f" ± {r['se']:.3f}"
            compare = [r['baseline'], f"{r['diff']:+.3f}{se}", r['verdict']]
        else:
            compare = ['', '', '']
        cells.append([r['name'], len(aps), _cell([a['mAP50'] for a in aps]),
                      *[_cell([a[c] for a in aps]) for c in classes], *compare,
                      f"{r['params_m']:.2f}", f"{r['gmacs']:.2f}", f"{r['ms']:.0f}", train])
    text = write_markdown([
        f'# {title}', '',
        f'{note}{" " if note else ""}Cells are mean ± std over the seeds; "difference" is the '
        'paired difference of mAP@0.5 to the row named in "vs" over their common seeds, ± its '
        'standard error; verdict: reproduced / reversed when it exceeds 2 SE in / against the '
        f"paper's direction. CPU ms per image at batch 1, {torch.get_num_threads()} threads. "
        f'Total run time {total_s / 60:.1f} min.', '',
        *markdown_table(header, cells)], osp.join(out_dir, 'ablation.md'))

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
    save_figure(fig, osp.join(out_dir, 'ablation.png'))
    return text


def ablation_parser(description: str, work_dir: str,
                    latency_shape: Sequence[int]) -> argparse.ArgumentParser:
    """The command-line options every ``tools/reproduce_*.py`` shares."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--work-dir', default=work_dir)
    parser.add_argument('--data', default='data/synthetic',
                        help='synthetic benchmark root (made if missing; the configs read '
                        'data/synthetic relative to the working directory)')
    parser.add_argument('--force', action='store_true', help='retrain the students')
    parser.add_argument('--force-teacher', action='store_true', help='retrain the teacher too')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='extra key=value overrides for every training run')
    parser.add_argument('--latency-shape', type=int, nargs=2, default=tuple(latency_shape),
                        metavar=('H', 'W'))
    parser.add_argument('--seeds', type=int, default=1,
                        help='train every row (the teacher excepted) with seeds 0 .. N-1')
    parser.add_argument('--only-seeds', type=int, nargs='+', metavar='K',
                        help='train only these of the seeds 0 .. N-1 (the teacher still first): '
                        'to split one table across processes or machines sharing the work dir; '
                        'then --report-only for the whole table')
    parser.add_argument('--adopt', action='store_true',
                        help='accept run dirs of an older runner (no fingerprint.txt) as trained '
                        'with the current configs, and record their fingerprint')
    parser.add_argument('--report-only', action='store_true',
                        help='train nothing: report the results already in the work dir')
    return parser


def _run_files(cfg: Config, run_dir: str) -> Tuple[str, str]:
    """A row/seed run's final checkpoint and its ``result.json``."""
    return (osp.join(run_dir, f'epoch_{cfg.train_cfg.max_epochs}.pth'),
            osp.join(run_dir, 'result.json'))


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


def _run_options(cfg: Config, seed: int, cfg_options: Sequence[str],
                 teacher_ckpt: Optional[str]) -> List[str]:
    """The ``--cfg-options`` a row/seed run trains with."""
    from mmdet_lite.models.distillers import is_distiller
    opts = [*cfg_options, f'randomness.seed={seed}']
    if is_distiller(cfg.model.type):
        opts.append(f'model.teacher.checkpoint={teacher_ckpt}')
    return opts


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def run_fingerprint(cfg: Config, opts: Sequence[str]) -> str:
    """sha256 of what a run trains: the merged config (``work_dir`` left out), with every local
    file it loads weights from (a ``checkpoint`` key: a pre-trained backbone, a teacher) replaced
    by the sha256 of its content, so the fingerprint moves when a shipped backbone or a teacher
    is retrained and stays when only the checkout's path does."""
    cfg = copy.deepcopy(cfg)  # the caller's config stays as parsed
    cfg.merge_from_dict({k: DictAction._parse_iterable(v)
                         for k, v in (o.split('=', 1) for o in opts)})

    def norm(value):  # noqa: ANN001, ANN202
        if isinstance(value, dict):
            return {k: ('sha256:' + _sha256(v) if k == 'checkpoint' and isinstance(v, str)
                        and osp.isfile(v) else norm(v))
                    for k, v in value.items() if k != 'work_dir'}
        if isinstance(value, (list, tuple)):
            return [norm(v) for v in value]
        return value

    text = json.dumps(norm(cfg.to_dict()), sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


def check_fingerprint(run_dir: str, fingerprint: str, adopt: bool = False) -> None:
    """Refuse to reuse a run dir trained with another configuration (or by a runner that wrote
    no fingerprint, unless ``adopt``: then the current fingerprint is recorded for it)."""
    path = osp.join(run_dir, 'fingerprint.txt')
    if osp.isfile(path):
        with open(path) as f:
            stored = f.read().strip()
        if stored != fingerprint:
            raise SystemExit(
                f'{run_dir} was trained with another configuration than the current one '
                f'(fingerprint {stored[:12]} vs {fingerprint[:12]}: the config, its options, a '
                'pre-trained backbone or the teacher changed). Use another --work-dir, or '
                '--force to retrain.')
        return
    if not any(osp.exists(osp.join(run_dir, n)) for n in ('result.json', 'last_checkpoint')):
        return  # nothing to reuse yet: the fingerprint is written when training starts
    if not adopt:
        raise SystemExit(
            f'{run_dir} holds results but no fingerprint.txt (written by an older runner), so '
            'nothing says they were trained with the current configs and checkpoints. Use '
            'another --work-dir or --force; or --adopt to record the current fingerprint for '
            'them if you know they were.')
    with open(path, 'w') as f:
        f.write(fingerprint + '\n')


def _train_and_evaluate(spec: dict, seed: int, run_dir: str, root: str,
                        cfg_options: Sequence[str], teacher_ckpt: Optional[str],
                        force: bool, adopt: bool = False) -> Tuple[dict, Optional[float], str]:
    """One row at one seed: train (unless its checkpoint exists), evaluate (unless its
    ``result.json`` exists); returns the AP dict, the training seconds (of every attempt, also
    for a reused run: :func:`logged_training_seconds`; None when unknown) and the checkpoint
    path. A run dir trained with another configuration is refused
    (:func:`check_fingerprint`)."""
    tools = osp.join(root, 'tools')
    cfg_file = osp.join(root, spec['config'])
    cfg = Config.fromfile(cfg_file)
    ckpt, result_file = _run_files(cfg, run_dir)
    if force and osp.isdir(run_dir):
        shutil.rmtree(run_dir)  # a retrain must not resume from the old epochs
    opts = _run_options(cfg, seed, cfg_options, teacher_ckpt)
    fingerprint = run_fingerprint(cfg, opts)
    check_fingerprint(run_dir, fingerprint, adopt)
    trained_now, attempt_s = not osp.isfile(ckpt), 0.0
    if trained_now:
        print(f"\n== {spec['name']}, seed {seed}: training {spec['config']}", flush=True)
        os.makedirs(run_dir, exist_ok=True)
        with open(osp.join(run_dir, 'fingerprint.txt'), 'w') as f:
            f.write(fingerprint + '\n')
        attempt_s = run_logged([sys.executable, osp.join(tools, 'train.py'), cfg_file,
                                '--work-dir', run_dir, '--resume', '--cfg-options', *opts],
                               osp.join(run_dir, 'train.log'), append=True)
    # every attempt of a resumed (or reused) run, from the logs; this attempt's at least
    train_s = max(attempt_s, logged_training_seconds(run_dir) or 0.0) or None
    if osp.isfile(result_file) and not trained_now:
        with open(result_file) as f:
            stored = json.load(f)
        return stored['ap'], train_s or stored.get('train_s'), ckpt
    eval_cfg = osp.join(root, spec.get('eval_config') or spec['config'])
    prefix = osp.join(run_dir, 'test', 'preds')
    run_logged([sys.executable, osp.join(tools, 'test.py'), eval_cfg, ckpt, '--work-dir',
                osp.join(run_dir, 'test'), '--cfg-options',
                f'test_evaluator.outfile_prefix={prefix}'], osp.join(run_dir, 'test.log'))
    test_cfg = Config.fromfile(eval_cfg)
    classes = tuple(test_cfg.test_dataloader.dataset.metainfo['classes'])
    ap = ap50_per_class(test_cfg.test_evaluator.ann_file, prefix + '.bbox.json', classes)
    with open(result_file, 'w') as f:
        json.dump(dict(ap=ap, seed=seed, train_s=train_s, config=spec['config']), f, indent=2)
    return ap, train_s, ckpt


def run_ablation(runs: Sequence[dict], work_dir: str, root: str, data: str = 'data/synthetic',
                 force: bool = False, force_teacher: bool = False,
                 cfg_options: Sequence[str] = (), latency_shape: Sequence[int] = (320, 576),
                 title: str = 'Ablation on the built-in synthetic benchmark',
                 note: str = '', seeds: int = 1, report_only: bool = False,
                 adopt: bool = False, only_seeds: Optional[Sequence[int]] = None) -> str:
    """Train (or reuse) and evaluate each row of ``runs`` at seeds ``0 .. seeds-1``, seed by seed
    (all rows at seed 0, then at seed 1 ...); write the report; return its text.

    Each run is ``dict(name, config, eval_config=None, baseline=None, direction=1)`` with paths
    relative to ``root`` (the repository, whose ``tools/train.py`` and ``tools/test.py`` run each
    row). The teacher of a distillation row is the one its config names
    (``model.teacher.config``): it is trained once (seed 0), before the rows, and its checkpoint
    given to the rows it teaches; a teacher that is not one of ``runs`` is added as a row, so the
    table shows it. ``report_only`` trains
    nothing and reports the row/seed results already in ``work_dir``. Every run dir records the
    fingerprint of what it trained (:func:`run_fingerprint`); a run dir whose fingerprint differs
    from the current configuration's is refused, and one without a fingerprint (an older runner)
    is refused unless ``adopt``. ``only_seeds`` (a subset of ``0 .. seeds-1``) trains and
    reports only those seeds, so that processes sharing ``work_dir`` can split a table by seed
    (two runs of one row/seed at once would share a run dir: give each process its own seeds).
    """
    from .complexity import model_complexity
    if seeds < 1:
        raise ValueError(f'seeds must be >= 1, got {seeds}')
    seed_list = list(range(seeds)) if only_seeds is None else sorted(set(only_seeds))
    if not seed_list or not set(seed_list) <= set(range(seeds)):
        raise ValueError(f'only_seeds must be a non-empty subset of 0 .. {seeds - 1} (--seeds '
                         f'{seeds}), got {only_seeds}')
    start = time.time()
    os.makedirs(work_dir, exist_ok=True)
    if not osp.isfile(osp.join(data, 'annotations', 'instances_val.json')):
        run_logged([sys.executable, osp.join(root, 'tools', 'make_synthetic.py'), '--out', data],
                   osp.join(work_dir, 'make_synthetic.log'))
    runs, teacher_of = plan_teachers(runs, root)
    teachers = set(filter(None, teacher_of.values()))
    teacher_ckpts: Dict[str, str] = {}
    rows = {spec['name']: dict(name=spec['name'], config=spec['config'], seeds={}, train_s={},
                               baseline=spec.get('baseline'),
                               teacher=osp.normpath(spec['config']) in teachers,
                               direction=spec.get('direction', 1)) for spec in runs}
    ckpts: Dict[str, str] = {}

    def run(spec: dict, seed: int) -> None:
        row_dir = osp.join(work_dir, osp.splitext(osp.basename(spec['config']))[0])
        is_teacher = osp.normpath(spec['config']) in teachers
        teacher_ckpt = teacher_ckpts.get(teacher_of.get(spec['config']))
        if report_only:
            cfg = Config.fromfile(osp.join(root, spec['config']))
            run_dir = osp.join(row_dir, f'seed_{seed}')
            ckpt, result = _run_files(cfg, run_dir)
            if osp.isfile(result):
                check_fingerprint(run_dir, run_fingerprint(
                    cfg, _run_options(cfg, seed, cfg_options, teacher_ckpt)), adopt)
                with open(result) as f:
                    stored = json.load(f)
                rows[spec['name']]['seeds'][seed] = stored['ap']
                # the logs count every attempt of a resumed run (result.json's, before, the last)
                rows[spec['name']]['train_s'][seed] = (logged_training_seconds(run_dir)
                                                       or stored.get('train_s'))
                ckpts[spec['name']] = ckpt
            return
        ap, train_s, ckpts[spec['name']] = _train_and_evaluate(
            spec, seed, osp.join(row_dir, f'seed_{seed}'), root, cfg_options, teacher_ckpt,
            force_teacher if is_teacher else force, adopt)
        rows[spec['name']]['seeds'][seed] = ap
        rows[spec['name']]['train_s'][seed] = train_s
        with open(osp.join(work_dir, 'ablation.json'), 'w') as f:
            json.dump(list(rows.values()), f, indent=2)

    for spec in runs:  # each teacher once, first: the distillation rows need its checkpoint
        if osp.normpath(spec['config']) in teachers:
            run(spec, 0)
            if spec['name'] in ckpts:
                teacher_ckpts[osp.normpath(spec['config'])] = ckpts[spec['name']]
    # seed by seed, so that every finished sitting adds complete pairs to the comparisons
    for seed in seed_list:
        for spec in runs:
            if osp.normpath(spec['config']) not in teachers:
                run(spec, seed)
    classes = ()
    runs = [spec for spec in runs if rows[spec['name']]['seeds']]
    for spec in runs:
        eval_cfg = osp.join(root, spec.get('eval_config') or spec['config'])
        test_cfg = Config.fromfile(eval_cfg)
        classes = tuple(test_cfg.test_dataloader.dataset.metainfo['classes'])
        cplx = model_complexity(test_cfg, tuple(latency_shape))
        rows[spec['name']].update(
            params_m=cplx['params_M'], gmacs=cplx['gmacs'],
            ms=ms_per_image(eval_cfg, ckpts[spec['name']], tuple(latency_shape)))
    rows = [rows[spec['name']] for spec in runs]
    text = write_report(rows, classes, work_dir, time.time() - start, title, note)
    print('\n' + text)
    print(f"written: {osp.join(work_dir, 'ablation.md')}, {osp.join(work_dir, 'ablation.png')}")
    return text


__all__ = [
    'ablation_parser', 'ap50_per_class', 'compare_rows', 'mean_std', 'ms_per_image',
    'paired_difference', 'plan_teachers', 'run_ablation', 'run_logged', 'teacher_config', 'verdict',
    'write_report'
]
