"""Bad input for CheckedCocoDataset: each case gives a clear error or a counted skip."""

import os
import os.path as osp

import numpy as np
import pytest
from mmengine.logging import MMLogger

import mmdet_lite  # noqa: F401
from mmdet_lite.datasets import CheckedCocoDataset, DatasetError
from mmdet_lite.engine.hooks import count_boxes_per_class
from projects_tests.conftest import CLASSES, read_log, write_coco


def make_dataset(root, **kwargs):
    kwargs.setdefault('metainfo', dict(classes=CLASSES))
    return CheckedCocoDataset(
        data_root=root, ann_file='annotations/train.json', data_prefix=dict(img='images/train/'),
        pipeline=[], **kwargs)


def two_images():
    images = [dict(id=1, file_name='a.jpg', width=64, height=48),
              dict(id=2, file_name='b.jpg', width=64, height=48)]
    anns = [dict(id=1, image_id=1, category_id=1, bbox=[4, 4, 20, 10], area=200, iscrowd=0),
            dict(id=2, image_id=2, category_id=4, bbox=[10, 10, 8, 8], area=64, iscrowd=0)]
    return images, anns


def test_loads_valid_file(tmp_path):
    write_coco(str(tmp_path), *two_images())
    ds = make_dataset(str(tmp_path))
    assert len(ds) == 2
    labels = sorted(inst['bbox_label'] for i in range(2)
                    for inst in ds.get_data_info(i)['instances'])
    assert labels == [0, 3]


def test_missing_annotation_file(tmp_path):
    with pytest.raises(DatasetError, match=r"train.json' not found.*make_synthetic"):
        make_dataset(str(tmp_path))


@pytest.mark.parametrize('content', ['{"images": [', '\x00\x01binary', '[1, 2, 3]',
                                     '{"images": []}'])
def test_corrupt_annotation_file(tmp_path, content):
    os.makedirs(tmp_path / 'annotations')
    (tmp_path / 'annotations' / 'train.json').write_text(content)
    with pytest.raises(DatasetError, match='train.json'):
        make_dataset(str(tmp_path))


def test_classes_not_in_annotation_file(tmp_path):
    write_coco(str(tmp_path), *two_images())
    with pytest.raises(DatasetError, match=r"\['car'\].*not categories"):
        make_dataset(str(tmp_path), metainfo=dict(classes=('vehicle', 'car')))


def test_categories_mapped_by_name_not_file_order(tmp_path):
    images, anns = two_images()
    cats = [dict(id=7, name='bicycle'), dict(id=3, name='vehicle'), dict(id=5, name='scooter'),
            dict(id=9, name='pedestrian')]
    anns[0]['category_id'] = 3  # vehicle
    anns[1]['category_id'] = 7  # bicycle
    write_coco(str(tmp_path), images, anns, categories=cats)
    ds = make_dataset(str(tmp_path))
    got = {ds.get_data_info(i)['img_id']: ds.get_data_info(i)['instances'][0]['bbox_label']
           for i in range(2)}
    assert got == {1: CLASSES.index('vehicle'), 2: CLASSES.index('bicycle')}


def test_missing_image_skipped_and_counted(tmp_path, caplog):
    images, anns = two_images()
    write_coco(str(tmp_path), images, anns)
    os.remove(tmp_path / 'images' / 'train' / 'b.jpg')
    ds = make_dataset(str(tmp_path))
    assert [ds.get_data_info(i)['img_id'] for i in range(len(ds))] == [1]
    assert ds._skipped['missing_images'] == 1
    with pytest.raises(DatasetError, match=r"b.jpg' listed .* is missing"):
        make_dataset(str(tmp_path), missing_img='error')


def test_all_images_missing_is_an_error(tmp_path):
    write_coco(str(tmp_path), *two_images(), write_images=False)
    with pytest.raises(DatasetError, match='None of the 2 images'):
        make_dataset(str(tmp_path))


def test_degenerate_boxes_skipped_and_outside_boxes_clipped(tmp_path):
    images, _ = two_images()
    anns = [
        dict(id=1, image_id=1, category_id=1, bbox=[4, 4, 0, 10], area=0, iscrowd=0),  # zero w
        dict(id=2, image_id=1, category_id=1, bbox=[30, 20, -5, -5], area=25, iscrowd=0),  # inv.
        dict(id=3, image_id=1, category_id=2, bbox=[70, 10, 5, 5], area=25, iscrowd=0),  # outside
        dict(id=4, image_id=1, category_id=3, bbox=[-6, 40, 20, 20], area=400, iscrowd=0),  # clip
        dict(id=5, image_id=2, category_id=4, bbox=[1, 1, 10, 10], area=100, iscrowd=0),
    ]
    write_coco(str(tmp_path), images, anns)
    ds = make_dataset(str(tmp_path))
    insts = ds.get_data_info(0)['instances']
    assert len(insts) == 1 and insts[0]['bbox'] == [0.0, 40, 14, 48]
    assert ds._skipped['degenerate_boxes'] == 3 and ds._skipped['clipped_boxes'] == 1


def test_skips_are_logged(tmp_path):
    images, anns = two_images()
    anns.append(dict(id=3, image_id=1, category_id=1, bbox=[4, 4, 0, 0], area=0, iscrowd=0))
    write_coco(str(tmp_path), images, anns)
    logger = MMLogger.get_instance('test_skips_are_logged', log_file=str(tmp_path / 'log.txt'))
    make_dataset(str(tmp_path))
    for h in logger.handlers:
        h.flush()
    assert '1 zero-area/inverted/outside box' in open(tmp_path / 'log.txt').read()


def test_bad_missing_img_option(tmp_path):
    write_coco(str(tmp_path), *two_images())
    with pytest.raises(DatasetError, match='missing_img'):
        make_dataset(str(tmp_path), missing_img='ignore')


def test_annotation_path_in_error_is_absolute_or_rooted(tmp_path):
    with pytest.raises(DatasetError) as err:
        make_dataset(str(tmp_path))
    assert osp.join(str(tmp_path), 'annotations', 'train.json') in str(err.value)


def test_filter_empty_gt_keeps_annotated_images(tmp_path):
    images, anns = two_images()
    images.append(dict(id=3, file_name='c.jpg', width=64, height=48))  # no boxes
    write_coco(str(tmp_path), images, anns)
    ds = make_dataset(str(tmp_path), filter_cfg=dict(filter_empty_gt=True, min_size=0))
    assert sorted(ds.get_data_info(i)['img_id'] for i in range(len(ds))) == [1, 2]


def test_non_finite_boxes_dropped_counted_and_not_weighted(tmp_path):
    images, anns = two_images()
    nan, inf = float('nan'), float('inf')
    anns += [dict(id=3, image_id=1, category_id=4, bbox=[nan, 4, 10, 10], area=1, iscrowd=0),
             dict(id=4, image_id=1, category_id=4, bbox=[4, 4, inf, 10], area=1, iscrowd=0),
             dict(id=5, image_id=2, category_id=4, bbox=[4, -inf, 10, 10], area=1, iscrowd=0)]
    write_coco(str(tmp_path), images, anns)
    logger = MMLogger.get_instance('non_finite', log_file=str(tmp_path / 'log.txt'))
    ds = make_dataset(str(tmp_path))
    assert ds._skipped['non_finite_boxes'] == 3
    assert ds._skipped['clipped_boxes'] == 0  # once reported as "clipped"
    assert '3 box(es) with NaN/inf coordinates' in read_log(logger)
    for i in range(len(ds)):
        for inst in ds.get_data_info(i)['instances']:
            assert all(np.isfinite(inst['bbox']))
    # the class-balanced weights count only the kept boxes: one vehicle, one bicycle
    assert count_boxes_per_class(ds, 4) == [1, 0, 0, 1]


def test_entries_without_required_keys_are_named(tmp_path):
    images, anns = two_images()
    del anns[1]['bbox']
    write_coco(str(tmp_path), images, anns)
    with pytest.raises(DatasetError, match=r"Annotation id=2 \(image id=2\) of .*train.json' "
                                           r"lacks \['bbox'\]"):
        make_dataset(str(tmp_path))
    images, anns = two_images()
    write_coco(str(tmp_path), images, anns)
    del images[0]['width']
    write_coco(str(tmp_path), images, anns, write_images=False)
    with pytest.raises(DatasetError, match=r"Image entry id=1 of .*train.json' lacks \['width'\]"):
        make_dataset(str(tmp_path))
    images, anns = two_images()
    anns[0]['bbox'] = [1, 2, 3]
    write_coco(str(tmp_path), images, anns)
    with pytest.raises(DatasetError, match=r'Annotation id=1 .* has bbox \[1, 2, 3\]'):
        make_dataset(str(tmp_path))


def test_duplicate_image_ids_are_refused(tmp_path):
    images, anns = two_images()
    images[1]['id'] = 1  # image b.jpg given a.jpg's id
    write_coco(str(tmp_path), images, anns)
    with pytest.raises(DatasetError, match=r"image id\(s\) 1 are used by more than one image "
                       r".*'a.jpg', 'b.jpg'.*Give every image its own id") as err:
        make_dataset(str(tmp_path))
    assert 'train.json' in str(err.value)


def test_annotations_of_no_image_are_refused(tmp_path):
    images, anns = two_images()
    anns.append(dict(id=9, image_id=42, category_id=1, bbox=[1, 1, 5, 5], area=25, iscrowd=0))
    write_coco(str(tmp_path), images, anns)
    with pytest.raises(DatasetError, match=r'1 annotation\(s\) \(ids 9\) point at an image_id '
                       'that no image entry has'):
        make_dataset(str(tmp_path))


def test_unknown_category_ids_are_counted(tmp_path):
    images, anns = two_images()
    anns.append(dict(id=3, image_id=1, category_id=99, bbox=[1, 1, 5, 5], area=25, iscrowd=0))
    write_coco(str(tmp_path), images, anns)
    logger = MMLogger.get_instance('test_unknown_categories', log_file=str(tmp_path / 'log.txt'))
    ds = make_dataset(str(tmp_path))
    for h in logger.handlers:
        h.flush()
    assert len(ds.get_data_info(0)['instances']) == 1
    assert "1 annotation(s) whose category_id is no category of the file" in open(
        tmp_path / 'log.txt').read()


def test_decoded_size_must_be_the_files_width_and_height(tmp_path):
    """The file says 64x48, the images on disk are 32x24 (a resized copy): refused on load."""
    images, anns = two_images()
    write_coco(str(tmp_path), [dict(img, width=32, height=24) for img in images], anns,
               write_images=True)
    write_coco(str(tmp_path), images, anns, write_images=False)
    import cv2
    from mmengine.registry import init_default_scope
    init_default_scope('mmdet')
    ds = CheckedCocoDataset(
        data_root=str(tmp_path), ann_file='annotations/train.json', metainfo=dict(
            classes=CLASSES), data_prefix=dict(img='images/train/'),
        pipeline=[dict(type='LoadImageFromFile'), dict(type='PackDetInputs')])
    assert cv2.imread(str(tmp_path / 'images/train/a.jpg')).shape[:2] == (24, 32)
    with pytest.raises(DatasetError, match=r"a.jpg' is 32x24 \(W x H\) but .*train.json' says "
                       r'64x48 for image id 1'):
        ds[0]


@pytest.mark.parametrize('case', ['no images', 'all filtered'])
def test_empty_split_says_why(tmp_path, case):
    images, anns = two_images()
    if case == 'no images':
        write_coco(str(tmp_path), [], [])
        match = 'lists no image: the split is empty'
    else:  # only a class the config does not train on
        write_coco(str(tmp_path), images, [dict(a, category_id=2) for a in anns])
        match = (r'All 2 images of .* were filtered out by filter_cfg=.*filter_empty_gt.* '
                 'the split is empty')
    with pytest.raises(DatasetError, match=match):
        make_dataset(str(tmp_path), metainfo=dict(classes=('vehicle', )),
                     filter_cfg=dict(filter_empty_gt=True, min_size=0))
