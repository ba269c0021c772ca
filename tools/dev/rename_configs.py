"""Rename configs by a map, and every reference to them (issue 35, items 6 and 8).

    python tools/dev/rename_configs.py            # apply (again): idempotent
    python tools/dev/rename_configs.py --dry-run  # print what it would do
    python tools/dev/rename_configs.py --check    # exit 1 while a tracked file names an old config

The naming scheme (OpenMMLab's ``{method}_{backbone}_{variant}_{NxbM}-{schedule}_{dataset}``):

- real-data configs carry ``NxbM`` (GPUs x images per GPU, from the "Trained on N GPUs x B images"
  head line) and the schedule (``train_cfg.max_epochs`` as ``60e``, or ``max_iters`` as ``240k``);
  the CPU-sized ``*_synthetic.py`` configs carry neither;
- distillation configs are named teacher to student, the mmrazor way:
  ``{algorithm}_{method}_{teacher}-teacher_{student}-student[_{variant}][_{NxbM}-{schedule}]_{dataset}``
  (``kd`` for Mobile CenterNet's structured KD, ``simpledis`` / ``attentiondis`` for the
  attention-guided KD paper, ``ld`` for localization distillation), a departure from the paper
  appended to the algorithm (``kd-nopair``, ``attentiondis-norm``, ``ld-positives``);
- RefineDetLite's Table 3 rows are named by what they switch on over the basic configuration
  (``softnms``, ``giou``, ``clsw`` class weights, ``clswtarget`` class weights of the target class,
  ``iouguided``, ``mtl`` balanced multi-task loss; row (a)'s ``res2netlite72-resblock`` backbone
  and ``conv3x3head``); the paper's row letters are on the method page (README) and in
  ``tools/reproduce_refinedet_lite.py``.

What it does, from the repository root of a git checkout:

1. ``git mv`` each config of :data:`RENAMES` that is still under its old name (a config that is
   already renamed is left alone; one present under both names is a conflict: reported, exit 2);
2. ``git rm`` each config of :data:`MERGED`, which only restated the config it now points to;
3. replaces, in every tracked text file but this one, each old basename (whole word: not preceded
   or followed by a letter, digit, ``_`` or ``-``) by its new one, in one pass (no chains).

After a merge that brings old names back (another branch's tools or tests), run it again, then
``--check``. Names composed from parts (``f'ssd300_{student}_synthetic.py'``) are not found by
either: spell config names whole.
"""

import argparse
import os
import os.path as osp
import re
import subprocess
import sys
from typing import Dict, List, Optional

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SELF = osp.relpath(osp.abspath(__file__), ROOT)

_MCN_KD = 'mcn_hrnet-w32-teacher_hrnet-w16-student_cbfl'
_AGKD = 'ssd300_vgg16-teacher'
_LD = 'effnet-gfl_lite3-teacher_lite1-student_row5'
_RDL = 'refinedet-lite_res2netlite72'

# old basename -> new basename (without .py)
RENAMES: Dict[str, str] = {
    # Mobile CenterNet: 2 GPUs x 16 images, 60 epochs
    'mcn_hrnet-w16_bdd100k': 'mcn_hrnet-w16_2xb16-60e_bdd100k',
    'mcn_hrnet-w16_bdd100k-ivslab': 'mcn_hrnet-w16_2xb16-60e_bdd100k-ivslab',
    'mcn_hrnet-w16_ivslab': 'mcn_hrnet-w16_2xb16-60e_ivslab',
    'mcn_hrnet-w16_cbfl_bdd100k': 'mcn_hrnet-w16_cbfl_2xb16-60e_bdd100k',
    'mcn_hrnet-w16_cbfl_bdd100k-ivslab': 'mcn_hrnet-w16_cbfl_2xb16-60e_bdd100k-ivslab',
    'mcn_hrnet-w16_cbfl_ivslab': 'mcn_hrnet-w16_cbfl_2xb16-60e_ivslab',
    'mcn_hrnet-w18-small_cbfl_bdd100k': 'mcn_hrnet-w18-small_cbfl_2xb16-60e_bdd100k',
    'mcn_hrnet-w32_teacher_bdd100k': 'mcn_hrnet-w32_teacher_2xb16-60e_bdd100k',
    'mcn_hrnet-w32_teacher_bdd100k-ivslab': 'mcn_hrnet-w32_teacher_2xb16-60e_bdd100k-ivslab',
    'mcn_hrnet-w32_teacher_ivslab': 'mcn_hrnet-w32_teacher_2xb16-60e_ivslab',
    'mcn_hrnet-w16_cbfl_kd_bdd100k': f'kd_{_MCN_KD}_2xb16-60e_bdd100k',
    'mcn_hrnet-w16_cbfl_kd_bdd100k-ivslab': f'kd_{_MCN_KD}_2xb16-60e_bdd100k-ivslab',
    'mcn_hrnet-w16_cbfl_kd_ivslab': f'kd_{_MCN_KD}_2xb16-60e_ivslab',
    'mcn_hrnet-w16_cbfl_kd_synthetic': f'kd_{_MCN_KD}_synthetic',
    'mcn_hrnet-w16_cbfl_kd-nopair_synthetic': f'kd-nopair_{_MCN_KD}_synthetic',
    'mcn_hrnet-w16_cbfl_kd-pa1_synthetic': f'kd-pa1_{_MCN_KD}_synthetic',
    # attention-guided KD: the VOC students 4 GPUs x 32 images, 240k iterations; the teacher
    # mmdet's SSD300 VOC recipe, 8 GPUs x 8 images, 24 epochs
    'ssd300_vgg16_teacher_voc': 'ssd300_vgg16_teacher_8xb8-24e_voc',
    'ssd300_vgg16-1-8_voc': 'ssd300_vgg16-1-8_4xb32-240k_voc',
    'ssd300_vgg16-1-4_voc': 'ssd300_vgg16-1-4_4xb32-240k_voc',
    'ssd300_mobilenet-1-2_voc': 'ssd300_mobilenet-1-2_4xb32-240k_voc',
    'ssd300_vgg16-1-8_attentiondis_voc': f'attentiondis_{_AGKD}_vgg16-1-8-student_4xb32-240k_voc',
    'ssd300_vgg16-1-8_simpledis_voc': f'simpledis_{_AGKD}_vgg16-1-8-student_4xb32-240k_voc',
    'ssd300_vgg16-1-4_attentiondis_voc': f'attentiondis_{_AGKD}_vgg16-1-4-student_4xb32-240k_voc',
    'ssd300_vgg16-1-4_simpledis_voc': f'simpledis_{_AGKD}_vgg16-1-4-student_4xb32-240k_voc',
    'ssd300_mobilenet-1-2_attentiondis_voc':
        f'attentiondis_{_AGKD}_mobilenet-1-2-student_4xb32-240k_voc',
    'ssd300_mobilenet-1-2_simpledis_voc': f'simpledis_{_AGKD}_mobilenet-1-2-student_4xb32-240k_voc',
    'ssd300_vgg16-1-8_attentiondis_synthetic': f'attentiondis_{_AGKD}_vgg16-1-8-student_synthetic',
    'ssd300_vgg16-1-8_simpledis_synthetic': f'simpledis_{_AGKD}_vgg16-1-8-student_synthetic',
    'ssd300_vgg16-1-4_attentiondis_synthetic': f'attentiondis_{_AGKD}_vgg16-1-4-student_synthetic',
    'ssd300_vgg16-1-4_simpledis_synthetic': f'simpledis_{_AGKD}_vgg16-1-4-student_synthetic',
    'ssd300_mobilenet-1-2_attentiondis_synthetic':
        f'attentiondis_{_AGKD}_mobilenet-1-2-student_synthetic',
    'ssd300_mobilenet-1-2_simpledis_synthetic':
        f'simpledis_{_AGKD}_mobilenet-1-2-student_synthetic',
    'ssd300_vgg16-1-8_attentiondis-norm_synthetic':
        f'attentiondis-norm_{_AGKD}_vgg16-1-8-student_synthetic',
    'ssd300_vgg16-1-8_attentiondis-lambda160_synthetic':
        f'attentiondis-lambda160_{_AGKD}_vgg16-1-8-student_synthetic',
    'ssd300_vgg16-1-8_attentiondis-norm-lambda15_synthetic':
        f'attentiondis-norm-lambda15_{_AGKD}_vgg16-1-8-student_synthetic',
    # EfficientNet-Lite + GFL: 2 GPUs x 64 images, 280 epochs; row 5 distils Lite3 into Lite1
    'effnet-gfl_row1_lite0-320-relu6-gflv1_coco':
        'effnet-gfl_row1_lite0-320-relu6-gflv1_2xb64-280e_coco',
    'effnet-gfl_row2_lite1-416-mish-gflv1_coco':
        'effnet-gfl_row2_lite1-416-mish-gflv1_2xb64-280e_coco',
    'effnet-gfl_row3_lite1-416-silu-gflv1-amp_coco':
        'effnet-gfl_row3_lite1-416-silu-gflv1-amp_2xb64-280e_coco',
    'effnet-gfl_row4_lite1-416-silu-gflv2-amp-sparse24_coco':
        'effnet-gfl_row4_lite1-416-silu-gflv2-amp-sparse24_2xb64-280e_coco',
    'effnet-gfl_row4-relu6_lite1-416-relu6-gflv2-amp-sparse24_coco':
        'effnet-gfl_row4-relu6_lite1-416-relu6-gflv2-amp-sparse24_2xb64-280e_coco',
    'effnet-gfl_teacher_lite3-416-silu-gflv2_coco':
        'effnet-gfl_teacher_lite3-416-silu-gflv2_2xb64-280e_coco',
    'effnet-gfl_row5_lite1-416-silu-gflv2-amp-sparse24-ld_coco': f'ld_{_LD}_2xb64-280e_coco',
    'effnet-gfl_row5_lite1-416-silu-gflv2-amp-sparse24-ld_synthetic': f'ld_{_LD}_synthetic',
    'effnet-gfl_row5-positives_lite1-416-silu-gflv2-amp-sparse24-ld_synthetic':
        f'ld-positives_{_LD}_synthetic',
    'effnet-gfl_row5-positives-w1_lite1-416-silu-gflv2-amp-sparse24-ld_synthetic':
        f'ld-positives-w1_{_LD}_synthetic',
    # RefineDetLite: 4 GPUs x 32 images, 250 epochs; Table 3 rows by what they switch on
    'refinedet-lite_res2netlite72_coco': f'{_RDL}_4xb32-250e_coco',
    'refinedet-lite-pp_res2netlite72_coco': 'refinedet-lite-pp_res2netlite72_4xb32-250e_coco',
    'refinedet-lite_table3-a_coco': f'{_RDL}-resblock_conv3x3head_4xb32-250e_coco',
    'refinedet-lite_table3-a_synthetic': f'{_RDL}-resblock_conv3x3head_synthetic',
    'refinedet-lite_table3-b_coco': f'{_RDL}_conv3x3head_4xb32-250e_coco',
    'refinedet-lite_table3-b_synthetic': f'{_RDL}_conv3x3head_synthetic',
    'refinedet-lite_table3-d_coco': f'{_RDL}_softnms_4xb32-250e_coco',
    'refinedet-lite_table3-d_synthetic': f'{_RDL}_softnms_synthetic',
    'refinedet-lite_table3-e_coco': f'{_RDL}_softnms-clsw_4xb32-250e_coco',
    'refinedet-lite_table3-e_synthetic': f'{_RDL}_softnms-clsw_synthetic',
    'refinedet-lite_table3-f_coco': f'{_RDL}_softnms-iouguided_4xb32-250e_coco',
    'refinedet-lite_table3-f_synthetic': f'{_RDL}_softnms-iouguided_synthetic',
    'refinedet-lite_table3-g_coco': f'{_RDL}_softnms-mtl_4xb32-250e_coco',
    'refinedet-lite_table3-g_synthetic': f'{_RDL}_softnms-mtl_synthetic',
    'refinedet-lite_table3-h_coco': f'{_RDL}_softnms-giou_4xb32-250e_coco',
    'refinedet-lite_table3-h_synthetic': f'{_RDL}_softnms-giou_synthetic',
    'refinedet-lite_table3-i_coco': f'{_RDL}_softnms-giou-clsw_4xb32-250e_coco',
    'refinedet-lite_table3-i_synthetic': f'{_RDL}_softnms-giou-clsw_synthetic',
    'refinedet-lite_table3-j_coco': f'{_RDL}_softnms-giou-iouguided_4xb32-250e_coco',
    'refinedet-lite_table3-j_synthetic': f'{_RDL}_softnms-giou-iouguided_synthetic',
    'refinedet-lite_table3-k_coco': f'{_RDL}_softnms-giou-mtl_4xb32-250e_coco',
    'refinedet-lite_table3-k_synthetic': f'{_RDL}_softnms-giou-mtl_synthetic',
    'refinedet-lite_table3-l_coco': f'{_RDL}_softnms-giou-clsw-iouguided_4xb32-250e_coco',
    'refinedet-lite_table3-l_synthetic': f'{_RDL}_softnms-giou-clsw-iouguided_synthetic',
    'refinedet-lite_table3-l-target_synthetic':
        f'{_RDL}_softnms-giou-clswtarget-iouguided_synthetic',
    'refinedet-lite_table3-m_coco': f'{_RDL}_softnms-giou-clsw-iouguided-mtl_4xb32-250e_coco',
    'refinedet-lite_table3-m_synthetic': f'{_RDL}_softnms-giou-clsw-iouguided-mtl_synthetic',
    'refinedet-lite_table3-n_coco': f'{_RDL}_softnms-giou-clsw-mtl_4xb32-250e_coco',
    'refinedet-lite_table3-n_synthetic': f'{_RDL}_softnms-giou-clsw-mtl_synthetic',
    'refinedet-lite_table3-o-target_synthetic':
        'refinedet-lite-pp_res2netlite72_clswtarget_synthetic',
}

# configs removed in favour of the one they restated (old basename -> the new name it points to)
MERGED: Dict[str, str] = {
    # the W16 + CBFL config at seed 1: the runner's --seeds trains that
    'mcn_hrnet-w16_cbfl-rerun_synthetic': 'mcn_hrnet-w16_cbfl_synthetic',
    # Table 3 rows (c) basic and (o) RefineDetLite++ were `_base_` lines on those configs
    'refinedet-lite_table3-c_coco': f'{_RDL}_4xb32-250e_coco',
    'refinedet-lite_table3-c_synthetic': f'{_RDL}_synthetic',
    'refinedet-lite_table3-o_coco': 'refinedet-lite-pp_res2netlite72_4xb32-250e_coco',
    'refinedet-lite_table3-o_synthetic': 'refinedet-lite-pp_res2netlite72_synthetic',
}

WORD = r'[\w-]'


def git(*args: str) -> str:
    return subprocess.run(['git', *args], cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout


def tracked() -> List[str]:
    return [p for p in git('ls-files', '-z').split('\0') if p and osp.isfile(osp.join(ROOT, p))]


def config_paths(files: List[str]) -> Dict[str, str]:
    """basename (no .py) -> path of every tracked config."""
    return {osp.splitext(osp.basename(p))[0]: p for p in files
            if p.startswith('configs/') and p.endswith('.py')}


def pattern(mapping: Dict[str, str]) -> 're.Pattern[str]':
    names = sorted(mapping, key=len, reverse=True)  # the longest first, among equal prefixes
    return re.compile(rf'(?<!{WORD})(?:{"|".join(map(re.escape, names))})(?!{WORD})')


def read_text(path: str) -> Optional[str]:
    with open(osp.join(ROOT, path), 'rb') as f:
        data = f.read()
    if b'\0' in data:
        return None  # binary (the shipped checkpoints)
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError:
        return None


def check_map() -> None:
    news = list(RENAMES.values())
    clash = {n for n in news if news.count(n) > 1} | (set(news) & set(RENAMES)) | (
        set(MERGED) & set(RENAMES))
    if clash:
        sys.exit(f'the map renames to or from a name twice: {sorted(clash)}')


def move_files(dry_run: bool) -> int:
    configs = config_paths(tracked())
    conflicts = 0
    for old, new in RENAMES.items():
        if old in configs and new in configs:
            print(f'conflict: both {configs[old]} and {configs[new]} exist; merge them by hand')
            conflicts += 1
        elif old in configs:
            dst = osp.join(osp.dirname(configs[old]), new + '.py')
            print(f'git mv {configs[old]} {dst}')
            if not dry_run:
                git('mv', configs[old], dst)
        elif new not in configs:
            print(f'warning: neither {old}.py nor {new}.py is tracked')
    for old, new in MERGED.items():
        if old in configs:
            print(f'git rm {configs[old]}  (restated {new}.py)')
            if not dry_run:
                git('rm', '-q', configs[old])
    return conflicts


def replace_references(dry_run: bool) -> None:
    mapping = {**RENAMES, **MERGED}
    regex = pattern(mapping)
    for path in tracked():
        if path == SELF:
            continue
        text = read_text(path)
        if text is None:
            continue
        new_text, count = regex.subn(lambda m: mapping[m.group(0)], text)
        if count:
            print(f'{path}: {count} reference(s)')
            if not dry_run:
                with open(osp.join(ROOT, path), 'w', encoding='utf-8', newline='') as f:
                    f.write(new_text)


def check() -> int:
    """Tracked files (this one aside) that still name an old config, and renamed configs that
    are missing."""
    regex = pattern({**RENAMES, **MERGED})
    left = 0
    for path in tracked():
        text = None if path == SELF else read_text(path)
        for lineno, line in enumerate((text or '').splitlines(), 1):
            for m in regex.finditer(line):
                print(f'{path}:{lineno}: {m.group(0)}')
                left += 1
    configs = config_paths(tracked())
    for name in (*RENAMES, *MERGED):
        if name in configs:
            print(f'{configs[name]}: still under its old name')
            left += 1
    missing = sorted((set(RENAMES.values()) | set(MERGED.values())) - set(configs))
    for name in missing:
        print(f'missing: {name}.py')
    return left + len(missing)


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument('--dry-run', action='store_true', help='print, change nothing')
    group.add_argument('--check', action='store_true',
                       help='exit 1 while a tracked file names an old config')
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    check_map()
    if args.check:
        left = check()
        print('no old config names left' if not left else f'{left} left')
        sys.exit(1 if left else 0)
    conflicts = move_files(args.dry_run)
    replace_references(args.dry_run)
    if conflicts:
        sys.exit(2)


if __name__ == '__main__':
    main()
