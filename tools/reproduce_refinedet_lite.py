"""Reproduce RefineDetLite's Table 3 rows on the built-in synthetic benchmark.

    python tools/reproduce_refinedet_lite.py [--rows c o o-target] [--seeds 3] [--work-dir DIR]
    make ablation-rdl

Trains, with the CPU-sized synthetic configs (288x160, 4 epochs from the Res2NetLite72 backbone
of ``make pretrain-rdl``, the same budget for every row), one after the other, the Table 3 rows
asked for (default: (c) RefineDetLite, the basic configuration, (o) RefineDetLite++, every
strategy, and (o-target), (o) with the target-class reading of Eq. 2); evaluates each with the
COCO metric on the synthetic val split and writes ``ablation.md``/``ablation.png`` (mAP@0.5,
per-class AP@0.5, params, GMACs and CPU ms per image at 288x160, training time). Finished rows
are reused (``--force`` retrains); ``--seeds N`` trains each row with seeds 0 .. N-1.
"""

import os.path as osp
from typing import List, Optional

from mmdet_lite.benchmark.ablation import AblationTool, ablation_main

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
RDL = 'configs/refinedet_lite/'
# the synthetic config of each Table 3 row
CONFIGS = {
    'a': RDL + 'refinedet-lite_res2netlite72-resblock_conv3x3head_synthetic.py',
    'b': RDL + 'refinedet-lite_res2netlite72_conv3x3head_synthetic.py',
    'c': RDL + 'refinedet-lite_res2netlite72_synthetic.py',
    'd': RDL + 'refinedet-lite_res2netlite72_softnms_synthetic.py',
    'e': RDL + 'refinedet-lite_res2netlite72_softnms-clsw_synthetic.py',
    'f': RDL + 'refinedet-lite_res2netlite72_softnms-iouguided_synthetic.py',
    'g': RDL + 'refinedet-lite_res2netlite72_softnms-mtl_synthetic.py',
    'h': RDL + 'refinedet-lite_res2netlite72_softnms-giou_synthetic.py',
    'i': RDL + 'refinedet-lite_res2netlite72_softnms-giou-clsw_synthetic.py',
    'j': RDL + 'refinedet-lite_res2netlite72_softnms-giou-iouguided_synthetic.py',
    'k': RDL + 'refinedet-lite_res2netlite72_softnms-giou-mtl_synthetic.py',
    'l': RDL + 'refinedet-lite_res2netlite72_softnms-giou-clsw-iouguided_synthetic.py',
    'l-target': RDL + 'refinedet-lite_res2netlite72_softnms-giou-clswtarget-iouguided_synthetic.py',
    'm': RDL + 'refinedet-lite_res2netlite72_softnms-giou-clsw-iouguided-mtl_synthetic.py',
    'n': RDL + 'refinedet-lite_res2netlite72_softnms-giou-clsw-mtl_synthetic.py',
    'o': RDL + 'refinedet-lite-pp_res2netlite72_synthetic.py',
    'o-target': RDL + 'refinedet-lite-pp_res2netlite72_clswtarget_synthetic.py',
}
ROWS = {
    'a': 'baseline: ResBlocks, 3x3 convs', 'b': 'Res2Blocks, 3x3 convs',
    'c': 'RefineDetLite (basic)', 'd': '(c) + soft-NMS', 'e': '(d) + class weights',
    'f': '(d) + IoU-guided', 'g': '(d) + multi-task', 'h': '(d) + GIoU',
    'i': '(h) + class weights', 'j': '(h) + IoU-guided', 'k': '(h) + multi-task',
    'l': '(h) + class weights + IoU-guided',
    'l-target': '(l), class weight of the target class',
    'm': '(l) + multi-task', 'n': '(i) + multi-task', 'o': 'RefineDetLite++ (all)',
    'o-target': '(o), class weight of the target class',
}


# the row each row ablates in Table 3 (the paper finds every one better than its baseline)
BASELINES = {'b': 'a', 'c': 'b', 'd': 'c', 'e': 'd', 'f': 'd', 'g': 'd', 'h': 'd', 'i': 'h',
             'j': 'h', 'k': 'h', 'l': 'h', 'l-target': 'h', 'm': 'l', 'n': 'i', 'o': 'c',
             'o-target': 'c'}


def runs(rows: List[str]) -> List[dict]:
    return [dict(name=f'({r}) {ROWS[r]}',
                 config=CONFIGS[r],
                 baseline=(f'({BASELINES[r]}) {ROWS[BASELINES[r]]}' if r in BASELINES
                           else None))
            for r in rows]


TOOL = AblationTool(
    root=ROOT, description=__doc__.split('\n\n')[0], work_dir='work_dirs/ablation_rdl',
    latency_shape=(160, 288), rows=sorted(ROWS), default_rows=['c', 'o', 'o-target'],
    runs=lambda args: runs(args.rows),
    title='RefineDetLite (Table 3 rows) on the built-in synthetic benchmark',
    note='Synthetic configs (288x160, 4 epochs from the pre-trained Res2NetLite72 backbone, '
    'Adam, same budget for every row); params / GMACs / CPU ms per image at 288x160.')


def main(argv: Optional[List[str]] = None) -> str:
    return ablation_main(TOOL, argv)


if __name__ == '__main__':
    main()
