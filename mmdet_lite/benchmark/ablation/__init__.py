"""Run a paper's ablation table on the synthetic benchmark: train, evaluate and report each row.

Used by ``tools/reproduce_*.py`` (:class:`AblationTool`, :func:`ablation_main`). Each row is
trained once per seed (``--seeds N``: seeds 0 .. N-1, passed as ``randomness.seed``), each run a
separate ``tools/train.py`` process in ``WORK_DIR/<config>/seed_<k>/``; a run whose result
(``result.json``) or final checkpoint exists is reused, so a table that does not fit one sitting
is finished by running the same command again. A run's AP@0.5 per class is the one its
``tools/test.py`` run logged (:func:`logged_ap50`). The teacher (the row with ``teacher=True``) is
trained once and reused by the distillation rows, which are evaluated with their plain student
config (a student checkpoint). A row that names the row it ablates (``baseline``) and the
paper's direction gets the paired difference of mAP@0.5 over the common seeds with its standard
error, the two-sided paired t-test of it (t, p, 95 % confidence interval of the mean difference;
a teacher, trained once, is a fixed value: a one-sample test of the other side's seeds) and a
verdict: reproduced when p < 0.05 in the paper's direction, reversed when p < 0.05 against it,
else not resolved (also, with the reason, with fewer than 2 pairs).

The parts: :mod:`.settings` (:class:`AblationSettings`), :mod:`.plan` (teachers, run dirs,
options), :mod:`.fingerprint`, :mod:`.logs` (processes, training time), :mod:`.evaluate`,
:mod:`.stats`, :mod:`.report`, :mod:`.runner` (:func:`run_ablation`) and :mod:`.cli`.
"""

from .cli import AblationTool, ablation_main, ablation_parser, settings_from_args
from .evaluate import evaluate_checkpoint, logged_ap50, logged_metrics_file, ms_per_image
from .fingerprint import check_fingerprint, run_fingerprint
from .logs import logged_training_seconds, run_logged
from .plan import TablePlan, plan_teachers, run_files, run_options, seed_dir, teacher_config
from .report import write_report
from .runner import run_ablation
from .settings import DEFAULT_TITLE, AblationSettings
from .stats import (
    ALPHA,
    Comparison,
    compare,
    compare_rows,
    mean_std,
    paired_differences,
    t_test,
    verdict,
)

__all__ = [
    'ALPHA', 'DEFAULT_TITLE', 'AblationSettings', 'AblationTool', 'Comparison', 'TablePlan',
    'ablation_main', 'ablation_parser', 'check_fingerprint', 'compare', 'compare_rows',
    'evaluate_checkpoint', 'logged_ap50', 'logged_metrics_file', 'logged_training_seconds',
    'mean_std', 'ms_per_image',
    'paired_differences', 'plan_teachers', 'run_ablation', 'run_files', 'run_fingerprint',
    'run_logged', 'run_options', 'seed_dir', 'settings_from_args', 't_test', 'teacher_config',
    'verdict', 'write_report'
]
