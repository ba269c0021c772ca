"""COCO mAP of a deployed detector as mmdet_lite's ``CheckedCocoMetric`` reports it.

pycocotools ``COCOeval`` with mmdet's settings (IoU 0.50:0.05:0.95, ``maxDets`` 100/300/1000,
AP at the largest), labels mapped to categories by class name, only the evaluated images
scored, and ground-truth boxes that no prediction can match (NaN/inf, zero-area, outside the
image) left out by the same rule as ``mmdet_lite/datasets/coco_box.py``. Standalone (Python 3.6,
numpy, pycocotools).
"""

import contextlib
import io
import math

import numpy as np
from engine_pipeline import DeployError

IOU_THRS = np.linspace(.5, 0.95, int(np.round((0.95 - .5) / .05)) + 1, endpoint=True)
MAX_DETS = [100, 300, 1000]


def usable_box(bbox, width, height):
    """The rule of ``check_coco_box``: 4 finite numbers, positive size, at least 1 px inside."""
    if not isinstance(bbox, (list, tuple)) or len(bbox) != 4:
        return False
    try:
        x, y, w, h = [float(v) for v in bbox]
    except (TypeError, ValueError):
        return False
    if not all(math.isfinite(v) for v in (x, y, w, h)):
        return False
    x1, y1, x2, y2 = max(x, 0.0), max(y, 0.0), min(x + w, width), min(y + h, height)
    return w > 0 and h > 0 and x2 - x1 >= 1 and y2 - y1 >= 1


def load_ground_truth(ann_file, classes):
    """``(COCO api, category id of each class)``; classes are matched to categories by name."""
    from pycocotools.coco import COCO
    with contextlib.redirect_stdout(io.StringIO()):
        coco = COCO(ann_file)
    ids = {}
    for cat in coco.dataset.get('categories', []):
        ids.setdefault(cat.get('name'), []).append(cat['id'])
    absent = [c for c in classes if c not in ids]
    if absent:
        raise DeployError('{}: the model\'s classes {} are not among its categories {}; pass the '
                          'annotation file of the data the model was trained for'.format(
                              ann_file, absent, sorted(ids)))
    twice = [c for c in classes if len(ids[c]) > 1]
    if twice:
        raise DeployError('{}: category names {} appear more than once'.format(ann_file, twice))
    anns = coco.dataset.get('annotations', [])
    keep = [a for a in anns if usable_box(a.get('bbox'), coco.imgs.get(a.get('image_id'), {})
                                          .get('width', 0),
                                          coco.imgs.get(a.get('image_id'), {}).get('height', 0))]
    if len(keep) != len(anns):
        coco.dataset['annotations'] = keep
        with contextlib.redirect_stdout(io.StringIO()):
            coco.createIndex()
    return coco, [ids[c][0] for c in classes], len(anns) - len(keep)


def to_coco_results(image_id, boxes, scores, labels, cat_ids):
    """Detections in COCO's result format (``[x, y, w, h]``), as mmdet's ``results2json``."""
    out = []
    for box, score, label in zip(boxes, scores, labels):
        b = box.tolist()
        out.append(dict(image_id=image_id, bbox=[b[0], b[1], b[2] - b[0], b[3] - b[1]],
                        score=float(score), category_id=cat_ids[int(label)]))
    return out


def evaluate(coco, cat_ids, classes, results, img_ids):
    """``{'mAP': AP@[.5:.95], 'mAP_50': AP@0.5, 'AP50': {class: AP@0.5}}`` (unrounded; a class
    without ground truth in the evaluated images has AP NaN)."""
    from pycocotools.cocoeval import COCOeval
    if not results:  # pycocotools cannot load an empty result list: nothing found is AP 0
        with_gt = set(a['category_id'] for a in coco.loadAnns(coco.getAnnIds(imgIds=img_ids)))
        return dict(mAP=0.0, mAP_50=0.0, AP50=dict(
            (c, 0.0 if cat in with_gt else float('nan')) for c, cat in zip(classes, cat_ids)))
    with contextlib.redirect_stdout(io.StringIO()):
        ev = COCOeval(coco, coco.loadRes(results), 'bbox')
        ev.params.catIds = list(cat_ids)
        ev.params.imgIds = list(img_ids)
        ev.params.maxDets = list(MAX_DETS)
        ev.params.iouThrs = IOU_THRS
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    at50 = int(np.argmin(np.abs(IOU_THRS - 0.5)))
    per_class = {}
    for k, name in enumerate(classes):
        precision = ev.eval['precision'][at50, :, k, 0, -1]
        precision = precision[precision > -1]
        per_class[name] = float(precision.mean()) if precision.size else float('nan')
    return dict(mAP=float(ev.stats[0]), mAP_50=float(ev.stats[1]), AP50=per_class)
