"""What became of each ground-truth box: detected as its class, as another class, or missed.

A class with a low AP can be *missed* (no detection over the score threshold covers it) or
*confused* (a confident detection covers it, with another label); the two call for different
fixes (more recall vs better class separation), and AP alone does not tell them apart.
"""

from collections import Counter, defaultdict
from typing import Dict, List, Sequence

import numpy as np

MISSED = 'missed'


def _iou_xywh(box: Sequence[float], others: np.ndarray) -> np.ndarray:
    """IoU of one COCO ``[x, y, w, h]`` box with ``others`` (``[N, 4]``, same format)."""
    x1 = np.maximum(box[0], others[:, 0])
    y1 = np.maximum(box[1], others[:, 1])
    x2 = np.minimum(box[0] + box[2], others[:, 0] + others[:, 2])
    y2 = np.minimum(box[1] + box[3], others[:, 1] + others[:, 3])
    inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
    union = box[2] * box[3] + others[:, 2] * others[:, 3] - inter
    return inter / np.maximum(union, 1e-9)


def gt_outcomes(gt: dict, dets: List[dict], classes: Sequence[str], iou_thr: float = 0.5,
                score_thr: float = 0.3) -> Dict[str, Counter]:
    """For every class (by name), a count of what its ground-truth boxes became: the class name
    of the highest-scoring detection with score >= ``score_thr`` and IoU >= ``iou_thr``, or
    ``'missed'``. ``gt`` is a COCO annotation dict, ``dets`` COCO-format results (``image_id``,
    ``category_id``, ``bbox``, ``score``). Crowd boxes are skipped."""
    names = {c['id']: c['name'] for c in gt['categories']}
    by_image = defaultdict(list)
    for d in dets:
        if d['score'] >= score_thr:
            by_image[d['image_id']].append(d)
    boxes = {i: np.array([d['bbox'] for d in ds], dtype=np.float64).reshape(-1, 4)
             for i, ds in by_image.items()}
    out: Dict[str, Counter] = {c: Counter() for c in classes}
    for ann in gt['annotations']:
        name = names[ann['category_id']]
        if name not in out or ann.get('iscrowd', 0):
            continue
        ds = by_image.get(ann['image_id'], [])
        outcome = MISSED
        if ds:
            ious = _iou_xywh(ann['bbox'], boxes[ann['image_id']])
            hits = [k for k in np.flatnonzero(ious >= iou_thr)]
            if hits:
                best = max(hits, key=lambda k: ds[k]['score'])
                outcome = names[ds[best]['category_id']]
        out[name][outcome] += 1
    return out


def outcome_table(outcomes: Dict[str, Counter], classes: Sequence[str]) -> List[List[str]]:
    """Rows ``[class, boxes, share as each class..., share missed]`` (shares as 0.00)."""
    rows = []
    for c in classes:
        n = sum(outcomes[c].values())
        shares = [outcomes[c][k] / n if n else 0.0 for k in (*classes, MISSED)]
        rows.append([c, str(n), *[f'{s:.2f}' for s in shares]])
    return rows


__all__ = ['MISSED', 'gt_outcomes', 'outcome_table']
