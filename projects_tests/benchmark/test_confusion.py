"""gt_outcomes on a hand-made case: found, confused, missed, below the score threshold."""

from mmdet_lite.benchmark.confusion import gt_outcomes, outcome_table

GT = dict(categories=[dict(id=7, name='car'), dict(id=3, name='bike')], annotations=[
    dict(image_id=1, category_id=7, bbox=[0, 0, 10, 10]),    # found as car
    dict(image_id=1, category_id=3, bbox=[50, 50, 10, 10]),  # taken for a car (higher score)
    dict(image_id=2, category_id=3, bbox=[0, 0, 10, 10]),    # only a 0.2 detection: missed
    dict(image_id=2, category_id=3, bbox=[30, 30, 10, 10]),  # IoU 0.25 only: missed
    dict(image_id=2, category_id=7, bbox=[90, 90, 5, 5], iscrowd=1),  # crowd: skipped
])
DETS = [
    dict(image_id=1, category_id=7, bbox=[0, 0, 10, 9], score=0.9),
    dict(image_id=1, category_id=3, bbox=[50, 50, 10, 10], score=0.5),
    dict(image_id=1, category_id=7, bbox=[51, 50, 10, 10], score=0.8),
    dict(image_id=2, category_id=3, bbox=[0, 0, 10, 10], score=0.2),
    dict(image_id=2, category_id=3, bbox=[35, 35, 10, 10], score=0.9),
]


def test_outcomes_hand_case():
    out = gt_outcomes(GT, DETS, ['car', 'bike'], iou_thr=0.5, score_thr=0.3)
    assert out['car'] == {'car': 1}
    assert out['bike'] == {'car': 1, 'missed': 2}
    rows = outcome_table(out, ['car', 'bike'])
    assert rows == [['car', '1', '1.00', '0.00', '0.00'], ['bike', '3', '0.33', '0.00', '0.67']]
    # a lower score threshold lets the 0.2 detection find its bike
    assert gt_outcomes(GT, DETS, ['car', 'bike'], score_thr=0.1)['bike'] == {
        'car': 1, 'bike': 1, 'missed': 1}
