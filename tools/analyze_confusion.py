"""What became of each ground-truth box of a COCO val file: found, taken for another class, missed.

    python tools/analyze_confusion.py ANN.json DETS.bbox.json [DETS2.bbox.json ...]
        [--score-thr 0.3] [--iou-thr 0.5]

DETS are COCO-format results, e.g. the ``preds.bbox.json`` that ``tools/test.py CONFIG CKPT
--cfg-options test_evaluator.outfile_prefix=.../preds`` writes (the ablation runner keeps one per
run under ``seed_<k>/test/``). Several files are summed (e.g. the seeds of one row). Each cell is
the share of the row class's boxes whose highest-scoring detection (score >= thr, IoU >= thr)
carries the column's label; ``missed``: none does.
"""

import argparse
import json
from collections import Counter

from mmdet_lite.benchmark.confusion import MISSED, gt_outcomes, outcome_table
from mmdet_lite.benchmark.report import markdown_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('ann_file')
    parser.add_argument('det_files', nargs='+')
    parser.add_argument('--score-thr', type=float, default=0.3)
    parser.add_argument('--iou-thr', type=float, default=0.5)
    args = parser.parse_args()
    with open(args.ann_file) as f:
        gt = json.load(f)
    classes = [c['name'] for c in sorted(gt['categories'], key=lambda c: c['id'])]
    total = {c: Counter() for c in classes}
    for path in args.det_files:
        with open(path) as f:
            for c, counts in gt_outcomes(gt, json.load(f), classes, args.iou_thr,
                                         args.score_thr).items():
                total[c].update(counts)
    print(f'{len(args.det_files)} result file(s), score >= {args.score_thr}, '
          f'IoU >= {args.iou_thr}; rows: ground-truth class, columns: what it was detected as')
    print('\n'.join(markdown_table(['class', 'boxes', *classes, MISSED],
                                   outcome_table(total, classes))))


if __name__ == '__main__':
    main()
