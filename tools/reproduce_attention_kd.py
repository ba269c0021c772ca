"""Reproduce attention-guided KD's Table 1 (one student) on the built-in synthetic benchmark.

    python tools/reproduce_attention_kd.py [--student vgg16-1-8] [--work-dir DIR] [--force]
        [--seeds 3] [--only-seeds K ...]
        [--rows teacher scratch simpledis attentiondis attentiondis-norm attentiondis-lambda160
                attentiondis-norm-lambda15]
    make ablation-agkd

Trains, with the CPU-sized synthetic configs (288x160; teacher and 1/8 student: 4 epochs from
their synthetic backbone pre-trainings, ``make pretrain-agkd``; the other students 12 epochs from
scratch), one after the other: the half-width VGG16 SSD teacher, then the student alone, with
SimpleDis (A = 1) and with
AttentionDis (Eq. 1-5) and, where the student has the configs, three departures from the paper:
AttentionDis with its maps normalised over the covered cells, Eq. 5 as printed with
lambda_1 = 160 (the scale of SimpleDis's loss at the start) and the normalised maps with
lambda_1 = 15 (SimpleDis's scale through training), all with the same budget;
evaluates each with the COCO metric on the synthetic val split and writes
``ablation.md``/``ablation.png`` (mAP@0.5, per-class AP@0.5, params, GMACs and CPU ms per image
at 288x160, training time). Finished runs are reused (``--force`` retrains the students,
``--force-teacher`` the teacher). Distilled checkpoints are evaluated with the plain student
config: they are student checkpoints.
"""

import argparse
import os.path as osp
from typing import List, Optional, Sequence

from mmdet_lite.benchmark.ablation import AblationTool, ablation_main

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
AGKD = 'configs/attention_kd/'
STUDENTS = {'vgg16-1-8': '1/8 VGG16', 'vgg16-1-4': '1/4 VGG16', 'mobilenet-1-2': '1/2 MobileNet'}
TEACHER = AGKD + 'ssd300_vgg16_teacher_synthetic.py'
# each student's configs by row: its plain config (scratch, and the one its distilled checkpoints
# are evaluated with), SimpleDis, AttentionDis and, where it has them, the departures
CONFIGS = {
    'vgg16-1-8': {
        'scratch': AGKD + 'ssd300_vgg16-1-8_synthetic.py',
        'simpledis': AGKD + 'simpledis_ssd300_vgg16-teacher_vgg16-1-8-student_synthetic.py',
        'attentiondis': AGKD + 'attentiondis_ssd300_vgg16-teacher_vgg16-1-8-student_synthetic.py',
        'attentiondis-norm':
            AGKD + 'attentiondis-norm_ssd300_vgg16-teacher_vgg16-1-8-student_synthetic.py',
        'attentiondis-lambda160':
            AGKD + 'attentiondis-lambda160_ssd300_vgg16-teacher_vgg16-1-8-student_synthetic.py',
        'attentiondis-norm-lambda15':
            AGKD + 'attentiondis-norm-lambda15_ssd300_vgg16-teacher_vgg16-1-8-student_synthetic.py',
    },
    'vgg16-1-4': {
        'scratch': AGKD + 'ssd300_vgg16-1-4_synthetic.py',
        'simpledis': AGKD + 'simpledis_ssd300_vgg16-teacher_vgg16-1-4-student_synthetic.py',
        'attentiondis': AGKD + 'attentiondis_ssd300_vgg16-teacher_vgg16-1-4-student_synthetic.py',
    },
    'mobilenet-1-2': {
        'scratch': AGKD + 'ssd300_mobilenet-1-2_synthetic.py',
        'simpledis': AGKD + 'simpledis_ssd300_vgg16-teacher_mobilenet-1-2-student_synthetic.py',
        'attentiondis':
            AGKD + 'attentiondis_ssd300_vgg16-teacher_mobilenet-1-2-student_synthetic.py',
    },
}


ROW_KEYS = ('teacher', 'scratch', 'simpledis', 'attentiondis', 'attentiondis-norm',
            'attentiondis-lambda160', 'attentiondis-norm-lambda15')


def runs(student: str, rows: Sequence[str] = ROW_KEYS) -> List[dict]:
    """The rows (``ROW_KEYS``) of ``student``'s table, in order; the runner adds the teacher
    of a distillation row when it is not among them."""
    name, configs = STUDENTS[student], CONFIGS[student]
    plain = configs['scratch']
    table = dict(
        teacher=dict(name='VGG16 SSD (teacher)', config=TEACHER),
        scratch=dict(name=f'{name}, scratch', config=plain),
        simpledis=dict(name=f'{name} + SimpleDis', config=configs['simpledis'],
                       eval_config=plain, baseline=f'{name}, scratch'),
        attentiondis=dict(name=f'{name} + AttentionDis', config=configs['attentiondis'],
                          eval_config=plain, baseline=f'{name} + SimpleDis'))
    # the departures from the paper's Eq. 5 / lambda_1, where the student has their configs
    variants = {'attentiondis-norm': 'maps normalised over covered cells',
                'attentiondis-lambda160': 'lambda_1 160 (SimpleDis scale at the start)',
                'attentiondis-norm-lambda15': 'maps normalised over covered cells, lambda_1 15 '
                                              '(SimpleDis scale in training)'}
    for key, label in variants.items():
        if key in configs:
            table[key] = dict(name=f'{name} + AttentionDis, {label}', config=configs[key],
                              eval_config=plain, baseline=f'{name} + SimpleDis')
    return [table[r] for r in ROW_KEYS if r in rows and r in table]


def _add_student(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('--student', choices=sorted(STUDENTS), default='vgg16-1-8')


TOOL = AblationTool(
    root=ROOT, description=__doc__.split('\n\n')[0], work_dir='work_dirs/ablation_agkd',
    latency_shape=(160, 288), rows=ROW_KEYS, default_rows=ROW_KEYS,
    runs=lambda args: runs(args.student, args.rows), add_arguments=_add_student,
    title=lambda args: (f'Attention-guided KD (Table 1, {STUDENTS[args.student]}) on the '
                        'built-in synthetic benchmark'),
    note='Synthetic configs (288x160, the same budget for every row: 4 epochs from the synthetic '
    'backbone pre-training for the teacher and the 1/8 student, 12 from scratch for the '
    'others); params / GMACs / CPU ms per image at 288x160.')


def main(argv: Optional[List[str]] = None) -> str:
    return ablation_main(TOOL, argv)


if __name__ == '__main__':
    main()
