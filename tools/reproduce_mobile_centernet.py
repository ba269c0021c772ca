"""Reproduce Mobile CenterNet's Table 2 ablation on the built-in synthetic benchmark.

    python tools/reproduce_mobile_centernet.py [--work-dir work_dirs/ablation_mcn] [--force]
        [--rows teacher w16 cbfl cbfl-neg kd ...] [--seeds 3]
    make ablation-mcn

Trains, with the quick (CPU-sized) configs, one after the other: the W32 teacher, W16, W16+CBFL
and W16+CBFL+KD (distilled from that teacher; the W16 rows start from the shipped synthetic
backbone pre-training, ``checkpoints/mcn_hrnet-w16_pretrain_synthetic.pth``, and the teacher
from ``checkpoints/mcn_hrnet-w32_pretrain_synthetic.pth``, made by ``make pretrain-mcn-teacher``);
evaluates each with the COCO metric on the synthetic val split; then writes ``ablation.md``
(mAP@0.5, per-class AP@0.5, params, GMACs and CPU ms/image at 576x320, training time) and
``ablation.png`` to the work dir. A run whose final checkpoint exists is reused, not retrained
(``--force`` retrains all but the teacher; the teacher is retrained only with
``--force-teacher``), so the teacher of a previous run is kept.
The KD checkpoint is evaluated with the plain W16+CBFL config, as any student checkpoint.
``--seeds N`` trains every student row with seeds 0 .. N-1 (the teacher once) and reports
mean ± std, the paired difference to the row each one ablates and a verdict; rerunning the same
command finishes an interrupted table without retraining what is done.
``--rows`` also takes the diagnostic rows (not in Table 2) that say why KD does what it does
here: see ``DIAGNOSTIC`` below and the README.
"""

import os.path as osp
from typing import List, Optional

from mmdet_lite.benchmark.ablation import AblationTool, ablation_main
from mmdet_lite.benchmark.ablation import write_report as _write_report

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
MCN = 'configs/mobile_centernet/'
CBFL = MCN + 'mcn_hrnet-w16_cbfl_synthetic.py'
KD = MCN + 'kd_mcn_hrnet-w32-teacher_hrnet-w16-student_cbfl_synthetic.py'
ROWS = {
    # the teacher is compared with the KD student: Table 2 has it 15.6 AP above
    'teacher': dict(name='HRNet-W32 (teacher)', config=MCN + 'mcn_hrnet-w32_teacher_synthetic.py',
                    baseline='HRNet-W16 + CBFL + KD'),
    'w16': dict(name='HRNet-W16', config=MCN + 'mcn_hrnet-w16_synthetic.py'),
    # CBFL with w_c on the positive term (the default reading), and Eq. (3) as printed
    'cbfl': dict(name='HRNet-W16 + CBFL', config=CBFL, baseline='HRNet-W16'),
    'cbfl-neg': dict(name='HRNet-W16 + CBFL, w_c on the whole channel (Eq. 3 as printed)',
                     config=MCN + 'mcn_hrnet-w16_cbfl-neg_synthetic.py', baseline='HRNet-W16'),
    'kd': dict(name='HRNet-W16 + CBFL + KD', config=KD, eval_config=CBFL,
               baseline='HRNet-W16 + CBFL'),
}
TABLE2 = ['teacher', 'w16', 'cbfl', 'kd']
# Diagnostic rows (not in Table 2), each one change: the KD row with a weaker pair-wise term or
# none. (The spread between runs of one config is --seeds.)
DIAGNOSTIC = {
    'kd-pa1': dict(
        name='HRNet-W16 + CBFL + KD, lambda_pa 1', eval_config=CBFL,
        config=MCN + 'kd-pa1_mcn_hrnet-w32-teacher_hrnet-w16-student_cbfl_synthetic.py'),
    'kd-nopair': dict(
        name='HRNet-W16 + CBFL + KD, pixel-wise only', eval_config=CBFL,
        config=MCN + 'kd-nopair_mcn_hrnet-w32-teacher_hrnet-w16-student_cbfl_synthetic.py'),
}
ROWS.update(DIAGNOSTIC)


def runs(rows: List[str]) -> List[dict]:
    """The runs in order (the runner trains the teacher the KD rows name first)."""
    return [ROWS[r] for r in dict.fromkeys(rows)]


TITLE = 'Mobile CenterNet ablation (Table 2) on the built-in synthetic benchmark'
NOTE = ('Quick configs (288x160, 3 epochs; the W16 and W32 backbones fine-tuned from their '
        'synthetic pre-trainings, `make pretrain-mcn` / `make pretrain-mcn-teacher`); params / '
        'GMACs / CPU ms per image at 576x320.')


def write_report(rows: List[dict], classes, out_dir: str, total_s: float) -> str:
    return _write_report(rows, classes, out_dir, total_s, TITLE, NOTE)


TOOL = AblationTool(
    root=ROOT, description=__doc__.split('\n\n')[0], work_dir='work_dirs/ablation_mcn',
    latency_shape=(320, 576), rows=list(ROWS), default_rows=TABLE2,
    rows_help='rows to train and report (a KD row brings its teacher)',
    runs=lambda args: runs(args.rows), title=TITLE, note=NOTE)


def main(argv: Optional[List[str]] = None) -> str:
    return ablation_main(TOOL, argv)


__all__ = ['TOOL', 'main', 'runs', 'write_report']

if __name__ == '__main__':
    main()
