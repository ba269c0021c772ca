"""tools/ivslab_split.py: one frame in ten by file name, a validation share of the kept frames
disjoint from training, the four classes required, nothing overwritten."""

import json

import pytest

from projects_tests.conftest import CLASSES, load_tool


def coco(n=200, classes=CLASSES):
    images = [dict(id=i + 1, file_name=f'video3/{i:05d}.jpg', width=1920, height=1080)
              for i in reversed(range(n))]  # not in file order: the tool sorts
    anns = [dict(id=i + 1, image_id=i + 1, category_id=1, bbox=[0, 0, 10, 10], area=100,
                 iscrowd=0) for i in range(n)]
    return dict(images=images, annotations=anns,
                categories=[dict(id=i + 1, name=c) for i, c in enumerate(classes)])


def test_one_in_ten_and_a_disjoint_validation_share():
    tool = load_tool('ivslab_split')
    train, val = tool.split(coco(), every=10, val_every=4)
    kept = sorted(im['file_name'] for im in train['images'] + val['images'])
    assert kept == [f'video3/{i:05d}.jpg' for i in range(0, 200, 10)]
    assert len(val['images']) == 5 and len(train['images']) == 15
    assert not {im['id'] for im in train['images']} & {im['id'] for im in val['images']}
    assert {a['image_id'] for a in val['annotations']} == {im['id'] for im in val['images']}
    assert 'info' in train and train['categories'] == coco()['categories']


def test_other_classes_are_refused():
    with pytest.raises(ValueError, match='expected the ivslab classes'):
        load_tool('ivslab_split').split(coco(classes=('car', 'person')))


def test_cli_writes_both_and_never_overwrites(tmp_path):
    tool = load_tool('ivslab_split')
    src = tmp_path / 'all.json'
    src.write_text(json.dumps(coco()))
    out = tmp_path / 'annotations'
    assert tool.main([str(src), str(out)]) == 0
    assert len(json.loads((out / 'ivslab_train.json').read_text())['images']) == 19
    with pytest.raises(SystemExit, match='exists'):
        tool.main([str(src), str(out)])
