"""Reproduce the EfficientNet-Lite + GFLv2 paper's Table 2 rows 3-5 on the synthetic benchmark.

    python tools/reproduce_effnet_gfl.py [--rows teacher 3 4-dense 4 5 5-positives 5-positives-w1]
        [--seeds 3] [--only-seeds K ...] [--work-dir DIR] [--force]
    make ablation-effnet

Trains, with the CPU-sized synthetic configs (288x160; every row fine-tunes 4 epochs from its
synthetic backbone pre-training, ``make pretrain-effnet``: the same budget for every row), one after
the other: the Lite3 GFLv2 teacher (for localization distillation, trained once), row 3 (Lite1,
SiLU, GFLv1, mixed precision), row 4 without sparsity (GFLv2 over GFLv1), row 4 (+ 2:4 sparsity from
epoch 2: its cost), row 5 (+ LD from the teacher, the reference normalisation) and row 5 with LD
normalised per positive (``ld_norm='positives'``), at the paper's weight 0.25 and at 1.0 (a
departure: about DFL's scale). Evaluates each with the COCO metric on the
synthetic val split and writes ``ablation.md``/``ablation.png`` (mAP@0.5, per-class AP@0.5, params,
GMACs and CPU ms per image at 288x160, training time). Finished rows are reused (``--force``
retrains the students, ``--force-teacher`` the teacher). On CPU the mixed precision is bfloat16
autocast where the CPU has bf16 instructions, fp32 elsewhere. Row 5 is evaluated with row 4's
config: its checkpoint is a student's.
"""

import os.path as osp
from typing import List, Optional

from mmdet_lite.benchmark.ablation import AblationTool, ablation_main

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
EG = 'configs/effnet_gfl/'
ROW4 = EG + 'effnet-gfl_row4_lite1-416-silu-gflv2-amp-sparse24_synthetic.py'
ROWS = {
    'teacher': dict(name='Lite3 GFLv2 (LD teacher)',
                    config=EG + 'effnet-gfl_teacher_lite3-416-silu-gflv2_synthetic.py'),
    '1': dict(name='(1) Lite0 320 ReLU6 GFLv1',
              config=EG + 'effnet-gfl_row1_lite0-320-relu6-gflv1_synthetic.py'),
    '2': dict(name='(2) Lite1 416 Mish GFLv1',
              config=EG + 'effnet-gfl_row2_lite1-416-mish-gflv1_synthetic.py'),
    '3': dict(name='(3) Lite1 416 SiLU GFLv1 + AMP',
              config=EG + 'effnet-gfl_row3_lite1-416-silu-gflv1-amp_synthetic.py'),
    # the paper's claim is GFLv2 over GFLv1 at equal density: row 4 dense vs row 3
    '4-dense': dict(name='(4) without 2:4 sparsity',
                    config=EG + 'effnet-gfl_row4-dense_lite1-416-silu-gflv2-amp_synthetic.py',
                    baseline='(3) Lite1 416 SiLU GFLv1 + AMP'),
    # the cost of 2:4 sparsity: expected at most level with the dense row (direction -1)
    '4': dict(name='(4) + GFLv2 + 2:4 sparsity', config=ROW4,
              baseline='(4) without 2:4 sparsity', direction=-1),
    '5': dict(name='(5) + localization distillation',
              config=EG + 'ld_effnet-gfl_lite3-teacher_lite1-student_row5_synthetic.py',
              eval_config=ROW4, baseline='(4) + GFLv2 + 2:4 sparsity'),
    '5-positives': dict(
        name='(5) + LD normalised per positive',
        config=EG + 'ld-positives_effnet-gfl_lite3-teacher_lite1-student_row5_synthetic.py',
        eval_config=ROW4, baseline='(4) + GFLv2 + 2:4 sparsity'),
    # a departure: LD per positive at 4x the paper's weight, about DFL's scale after epoch 1
    '5-positives-w1': dict(
        name='(5) + LD normalised per positive, weight 1',
        config=EG + 'ld-positives-w1_effnet-gfl_lite3-teacher_lite1-student_row5_synthetic.py',
        eval_config=ROW4, baseline='(4) + GFLv2 + 2:4 sparsity'),
}


def runs(rows: List[str]) -> List[dict]:
    """The runs in order (the runner trains the teacher row 5 names first)."""
    return [ROWS[r] for r in dict.fromkeys(rows)]


TOOL = AblationTool(
    root=ROOT, description=__doc__.split('\n\n')[0], work_dir='work_dirs/ablation_effnet',
    latency_shape=(160, 288), rows=list(ROWS),
    # rows 1-2 (12 epochs from scratch, not the fine-tuning regime) only on request
    default_rows=[r for r in ROWS if r not in ('1', '2')], runs=lambda args: runs(args.rows),
    title='EfficientNet-Lite + GFLv2 (Table 2 rows) on the built-in synthetic benchmark',
    note='Synthetic configs (288x160, 4 epochs from the synthetic backbone pre-training, Adam, '
    'the same budget for every row; mixed precision = bf16 autocast on a bf16 CPU); params / '
    'GMACs / CPU ms per image at 288x160.')


def main(argv: Optional[List[str]] = None) -> str:
    return ablation_main(TOOL, argv)


if __name__ == '__main__':
    main()
