"""A run's AP@0.5 per class is read from what its tools/test.py run logged (CheckedCocoMetric,
classwise), not computed again."""

import json
import math

import pytest

from mmdet_lite.benchmark.ablation import logged_ap50, logged_metrics_file

CLASSES = ('vehicle', 'pedestrian', 'scooter', 'bicycle')


def _log(test_dir, stamp, metrics):
    """The metrics json mmengine writes after a test: ``<stamp>/<stamp>.json``."""
    d = test_dir / stamp
    d.mkdir(parents=True)
    # as mmengine dumps it: json with NaN for a class without ground truth
    (d / f'{stamp}.json').write_text(json.dumps(metrics))


def test_logged_ap50_reads_the_latest_test_run(tmp_path):
    # an earlier evaluation (e.g. interrupted before result.json) is not the one read
    _log(tmp_path, '20261207_100000', {'coco/vehicle_AP50': 0.9})
    _log(tmp_path, '20261207_110000', {
        'coco/vehicle_AP50': 0.5, 'coco/pedestrian_AP50': 0.25, 'coco/scooter_AP50': 0.0,
        'coco/bicycle_AP50': math.nan, 'coco/bbox_mAP_50': 0.25, 'coco/vehicle_precision': 0.3,
        'time': 1.0})
    (tmp_path / 'preds.bbox.json').write_text('[]')  # not a metrics log
    assert logged_metrics_file(str(tmp_path)).endswith('20261207_110000.json')
    ap = logged_ap50(str(tmp_path), CLASSES)
    # a class without ground truth (NaN) shows 0 and stays out of the mean, as in COCOeval
    assert ap == dict(vehicle=0.5, pedestrian=0.25, scooter=0.0, bicycle=0.0, mAP50=0.25)


def test_logged_ap50_refusals_and_empty_predictions(tmp_path):
    with pytest.raises(SystemExit, match='holds no metrics'):
        logged_ap50(str(tmp_path), CLASSES)
    _log(tmp_path, '20261207_110000', {'coco/bbox_mAP_50': 0.25, 'time': 1.0})
    with pytest.raises(SystemExit, match='classwise=True'):
        logged_ap50(str(tmp_path), CLASSES)
    # no prediction at all: mmdet logs no COCO metric, every AP is 0
    _log(tmp_path, '20261207_120000', {'time': 1.0})
    dets = tmp_path / 'preds.bbox.json'
    dets.write_text('[]')
    assert logged_ap50(str(tmp_path), CLASSES, str(dets)) == dict.fromkeys(
        (*CLASSES, 'mAP50'), 0.0)
    dets.write_text('[{"image_id": 1}]')  # predictions but no per-class AP: a config to fix
    with pytest.raises(SystemExit, match='classwise=True'):
        logged_ap50(str(tmp_path), CLASSES, str(dets))
