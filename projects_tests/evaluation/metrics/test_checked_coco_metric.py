"""CheckedCocoMetric: ground truth scored as predictions gives exactly 1.0 whatever the file's
category order and ids, with images missing on disk and with unusable boxes in the file; mmdet's
CocoMetric gets the same cases wrong (the tests could fail)."""

import os

import numpy as np
import pytest
import torch
from mmdet.evaluation import CocoMetric
from mmengine.logging import MMLogger

import mmdet_lite  # noqa: F401
from mmdet_lite.datasets import CheckedCocoDataset, DatasetError
from mmdet_lite.evaluation import CheckedCocoMetric
from projects_tests.conftest import CLASSES, read_log, write_coco


def scene(num_images=6, seed=0):
    """Images with 1-3 boxes each, every class present."""
    rng = np.random.default_rng(seed)
    images, anns = [], []
    for i in range(num_images):
        images.append(dict(id=100 + i, file_name=f'{i}.jpg', width=96, height=64))
        for k in range(1 + i % 3):
            x, y = rng.uniform(0, 50), rng.uniform(0, 30)
            anns.append(dict(id=len(anns) + 1, image_id=100 + i, category_id=(i + k) % 4,
                             bbox=[x, y, rng.uniform(8, 40), rng.uniform(8, 30)], iscrowd=0,
                             area=1.0))
    return images, anns


def with_categories(anns, cats):
    """``anns`` labelled 0..3 (config order) re-expressed with the ids of ``cats`` by name."""
    by_name = {c['name']: c['id'] for c in cats}
    return [dict(a, category_id=by_name[CLASSES[a['category_id']]]) for a in anns]


def gt_as_predictions(ds):
    samples = []
    for i in range(len(ds)):
        info = ds.get_data_info(i)
        boxes = torch.tensor([inst['bbox'] for inst in info['instances']],
                             dtype=torch.float32).reshape(-1, 4)
        labels = torch.tensor([inst['bbox_label'] for inst in info['instances']],
                              dtype=torch.long)
        samples.append(dict(img_id=info['img_id'], ori_shape=(info['height'], info['width']),
                            pred_instances=dict(bboxes=boxes, scores=torch.ones(len(labels)),
                                                labels=labels)))
    return samples


def map50(metric_cls, ds, ann_file):
    metric = metric_cls(ann_file=ann_file, metric='bbox', classwise=True)
    metric.dataset_meta = ds.metainfo
    samples = gt_as_predictions(ds)
    metric.process({}, samples)
    return metric.evaluate(len(samples))['coco/bbox_mAP_50']


def dataset(root, **kwargs):
    return CheckedCocoDataset(data_root=str(root), ann_file='annotations/val.json',
                              data_prefix=dict(img='images/val/'), test_mode=True, pipeline=[],
                              metainfo=dict(classes=CLASSES), **kwargs)


@pytest.mark.parametrize('cats', [
    [dict(id=i + 1, name=n) for i, n in enumerate(CLASSES)],  # config order, ids 1..4
    [dict(id=i + 1, name=n) for i, n in enumerate(reversed(CLASSES))],  # reversed
    [dict(id=42, name='scooter'), dict(id=7, name='vehicle'), dict(id=90, name='bicycle'),
     dict(id=3, name='pedestrian'), dict(id=5, name='truck')],  # shuffled, sparse ids, extra
], ids=['config-order', 'reversed', 'shuffled-noncontiguous-extra'])
def test_ground_truth_scores_exactly_one(tmp_path, cats):
    images, anns = scene()
    path = write_coco(str(tmp_path), images, with_categories(anns, cats), cats, split='val')
    ds = dataset(tmp_path)
    assert map50(CheckedCocoMetric, ds, path) == 1.0
    if [c['name'] for c in cats][:4] == list(reversed(CLASSES)):
        # mmdet's metric maps label i to the i-th class in *file* order: the reported bug
        assert map50(CocoMetric, ds, path) == 0.0


def test_missing_images_are_not_scored(tmp_path):
    images, anns = scene()
    cats = [dict(id=i + 1, name=n) for i, n in enumerate(CLASSES)]
    path = write_coco(str(tmp_path), images, with_categories(anns, cats), cats, split='val')
    os.remove(tmp_path / 'images' / 'val' / '2.jpg')
    os.remove(tmp_path / 'images' / 'val' / '4.jpg')
    logger = MMLogger.get_instance('missing_images', log_file=str(tmp_path / 'log.txt'))
    ds = dataset(tmp_path)
    assert len(ds) == 4
    assert map50(CheckedCocoMetric, ds, path) == 1.0
    log = read_log(logger)
    assert 'skipped 2 missing image(s) (excluded from training and from evaluation)' in log
    assert 'scoring 4 image(s); 2 image(s) of the annotation file' in log
    assert map50(CocoMetric, ds, path) < 1.0  # mmdet counts their objects as misses


def test_unusable_boxes_leave_the_ground_truth(tmp_path):
    images, anns = scene()
    anns += [dict(id=900, image_id=100, category_id=0, bbox=[float('nan'), 3, 10, 10],
                  iscrowd=0, area=1.0),
             dict(id=901, image_id=101, category_id=1, bbox=[5, 5, float('inf'), 10],
                  iscrowd=0, area=1.0),
             dict(id=902, image_id=102, category_id=2, bbox=[5, 5, 0, 10], iscrowd=0, area=0.0)]
    cats = [dict(id=i + 1, name=n) for i, n in enumerate(CLASSES)]
    # json cannot hold NaN portably; Python writes and reads it as NaN/Infinity
    path = write_coco(str(tmp_path), images, with_categories(anns, cats), cats, split='val')
    ds = dataset(tmp_path)
    assert map50(CheckedCocoMetric, ds, path) == 1.0
    assert map50(CocoMetric, ds, path) < 1.0


def test_config_class_absent_from_the_metric_file(tmp_path):
    images, anns = scene()
    cats = [dict(id=i + 1, name=n) for i, n in enumerate(CLASSES)]
    path = write_coco(str(tmp_path), images, with_categories(anns, cats), cats, split='val')
    metric = CheckedCocoMetric(ann_file=path)
    metric.dataset_meta = dict(classes=('vehicle', 'car'))
    with pytest.raises(DatasetError, match=r"\['car'\] of the config are not among"):
        metric.compute_metrics([(dict(img_id=100), dict(img_id=100))])
    with pytest.raises(DatasetError, match='needs ann_file'):
        CheckedCocoMetric()


def test_per_class_ap50_is_returned_and_averages_to_map50(tmp_path):
    """classwise: each class's AP@0.5 is returned (mmdet only logs it). Hand-checkable: the
    ground truth as predictions, with every vehicle box moved off its object (IoU 0), gives
    vehicle 0, the other classes 1, and mAP@0.5 their mean, 0.75."""
    images, anns = scene()
    cats = [dict(id=i + 1, name=n) for i, n in enumerate(CLASSES)]
    path = write_coco(str(tmp_path), images, with_categories(anns, cats), cats, split='val')
    ds = dataset(tmp_path)
    samples = gt_as_predictions(ds)
    for s in samples:
        p = s['pred_instances']
        p['bboxes'][p['labels'] == 0] += 1000.0
    metric = CheckedCocoMetric(ann_file=path, metric='bbox', classwise=True)
    metric.dataset_meta = ds.metainfo
    metric.process({}, samples)
    out = metric.evaluate(len(samples))
    assert out['coco/vehicle_AP50'] == 0.0
    for name in CLASSES[1:]:
        assert out[f'coco/{name}_AP50'] == pytest.approx(1.0)
    assert np.mean([out[f'coco/{c}_AP50'] for c in CLASSES]) == pytest.approx(0.75)
    assert out['coco/bbox_mAP_50'] == 0.75



def test_non_finite_predictions_fail_instead_of_a_low_map(tmp_path):
    """A diverged model (NaN scores) must not report mAP 0.0 with exit code 0: the metric
    raises, counting the rows and images, with the epoch when a training run validates."""
    from mmengine.logging import MessageHub

    from mmdet_lite.evaluation.metrics import NonFiniteOutputError
    images, anns = scene()
    ann_file = write_coco(str(tmp_path), images, anns, categories=[
        dict(id=i, name=n) for i, n in enumerate(CLASSES)])
    ds = CheckedCocoDataset(data_root=str(tmp_path), ann_file=ann_file, pipeline=[],
                            data_prefix=dict(img='images/train/'),
                            metainfo=dict(classes=CLASSES))
    samples = gt_as_predictions(ds)
    samples[1]['pred_instances']['scores'][:] = float('nan')
    samples[4]['pred_instances']['bboxes'][0, 2] = float('inf')
    metric = CheckedCocoMetric(ann_file=ann_file, metric='bbox')
    metric.dataset_meta = ds.metainfo
    metric.process({}, samples)
    MessageHub.get_current_instance().update_info('epoch', 3)
    n_bad = len(samples[1]['pred_instances']['scores']) + 1
    with pytest.raises(NonFiniteOutputError, match=rf'{n_bad} predicted score\(s\)/box\(es\) in '
                       r'2 of 6 images are NaN or inf after epoch 3 \(first: image id 101\)'):
        metric.evaluate(len(samples))
