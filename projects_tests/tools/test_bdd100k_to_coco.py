"""Tests for tools/bdd100k_to_coco.py on a hand-written BDD100K label fixture."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pycocotools.coco import COCO

from projects_tests.conftest import load_tool

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / 'tools' / 'bdd100k_to_coco.py'
FIXTURE = ROOT / 'projects_tests' / 'data' / 'bdd100k_labels_fixture.json'


tool = load_tool('bdd100k_to_coco')


@pytest.fixture()
def frames() -> list:
    return json.loads(FIXTURE.read_text())


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, str(SCRIPT), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=cwd)


def _boxes_by_class(coco: dict) -> dict[str, list[list[float]]]:
    names = {c['id']: c['name'] for c in coco['categories']}
    out: dict[str, list[list[float]]] = {}
    for ann in coco['annotations']:
        out.setdefault(names[ann['category_id']], []).append(ann['bbox'])
    return out


def test_bdd10_counts(frames):
    coco, stats = tool.convert(frames, 'bdd10')
    assert [(c['id'], c['name']) for c in coco['categories']] == [
        (1, 'pedestrian'),
        (2, 'rider'),
        (3, 'car'),
        (4, 'truck'),
        (5, 'bus'),
        (6, 'train'),
        (7, 'motorcycle'),
        (8, 'bicycle'),
        (9, 'traffic light'),
        (10, 'traffic sign'),
    ]
    # 2018 names ('person', 'bike', 'motor') are merged with the 2020 ones.
    assert stats['boxes'] == {
        'pedestrian': 3,
        'rider': 1,
        'car': 3,
        'truck': 1,
        'bus': 1,
        'train': 1,
        'motorcycle': 2,
        'bicycle': 2,
        'traffic light': 2,
        'traffic sign': 1,
    }
    assert stats['images'] == 5 and len(coco['images']) == 5
    assert len(coco['annotations']) == 17
    assert stats['clipped'] == 2
    assert stats['skipped'] == {
        'no_box2d': 4,  # two lane and two drivable-area polygons
        'degenerate': 3,  # zero width, inverted, entirely outside the image
        'dropped': {'other person': 1, 'other vehicle': 1, 'trailer': 1},
        'unknown': {},
    }


def test_ivslab_mapping_and_counts(frames):
    coco, stats = tool.convert(frames, 'ivslab')
    assert [(c['id'], c['name']) for c in coco['categories']] == [
        (1, 'vehicle'),
        (2, 'pedestrian'),
        (3, 'scooter'),
        (4, 'bicycle'),
    ]
    # vehicle = 3 cars + truck + bus; scooter = motorcycle + motor; bicycle = bicycle + bike.
    assert stats['boxes'] == {'vehicle': 5, 'pedestrian': 3, 'scooter': 2, 'bicycle': 2}
    assert len(coco['annotations']) == 12
    assert stats['skipped']['dropped'] == {
        'other person': 1,
        'other vehicle': 1,
        'rider': 1,
        'traffic light': 2,
        'traffic sign': 1,
        'train': 1,
        'trailer': 1,
    }
    # Same images in both modes, including frames that end up without boxes.
    assert [i['file_name'] for i in coco['images']] == [f['name'] for f in frames]


def test_mapping_tables():
    _, ivslab = tool.MODES['ivslab']
    assert {k for k, v in ivslab.items() if v == 'vehicle'} == {'car', 'bus', 'truck'}
    assert ivslab['motorcycle'] == 'scooter' and ivslab['bicycle'] == 'bicycle'
    assert ivslab['pedestrian'] == 'pedestrian'
    assert all(ivslab[k] is None for k in ('rider', 'train', 'traffic light', 'traffic sign'))
    for old, new in (('person', 'pedestrian'), ('bike', 'bicycle'), ('motor', 'motorcycle')):
        assert tool._canonical(old) == new


def test_boxes_clipped_and_converted(frames):
    coco, _ = tool.convert(frames, 'bdd10')
    by_class = _boxes_by_class(coco)
    assert [100.5, 200.0, 50.0, 150.0] in by_class['pedestrian']
    assert [1250.0, 600.0, 30.0, 120.0] in by_class['pedestrian']  # clipped at 1280x720
    assert [0.0, 600.0, 100.0, 100.0] in by_class['car']  # clipped at x = 0
    for ann in coco['annotations']:
        x, y, w, h = ann['bbox']
        assert w > 0 and h > 0 and x >= 0 and y >= 0 and x + w <= 1280 and y + h <= 720
        assert ann['area'] == pytest.approx(w * h)
        assert ann['iscrowd'] == 0
    image = coco['images'][0]
    assert (image['width'], image['height']) == (1280, 720)


def test_custom_image_size_clips(frames):
    coco, stats = tool.convert(frames, 'bdd10', img_size=(640, 360))
    assert all((i['width'], i['height']) == (640, 360) for i in coco['images'])
    for ann in coco['annotations']:
        x, y, w, h = ann['bbox']
        assert x + w <= 640 and y + h <= 360
    assert sum(stats['boxes'].values()) < 17  # boxes beyond 640x360 become degenerate


def test_lane_and_area_labels_skipped(frames):
    only_polys = [{'name': 'a.jpg', 'labels': [label for label in frames[0]['labels'][10:]]}]
    assert all('poly2d' in label and 'box2d' not in label for label in only_polys[0]['labels'])
    coco, stats = tool.convert(only_polys, 'bdd10')
    assert coco['annotations'] == [] and stats['skipped']['no_box2d'] == 2


def test_degenerate_box_skipped():
    frames = [
        {
            'name': 'd.jpg',
            'labels': [
                {'category': 'car', 'box2d': {'x1': 5, 'y1': 5, 'x2': 5, 'y2': 50}},
                {'category': 'car', 'box2d': {'x1': 10, 'y1': 60, 'x2': 50, 'y2': 20}},
                {'category': 'car', 'box2d': {'x1': 10, 'y1': 20, 'x2': 50, 'y2': 60}},
            ],
        }
    ]
    coco, stats = tool.convert(frames, 'ivslab')
    assert stats['skipped']['degenerate'] == 2
    assert [a['bbox'] for a in coco['annotations']] == [[10.0, 20.0, 40.0, 40.0]]


def test_unknown_category(frames):
    bad = copy.deepcopy(frames)
    bad[1]['labels'].append(
        {'category': 'spaceship', 'box2d': {'x1': 1, 'y1': 1, 'x2': 9, 'y2': 9}}
    )
    with pytest.raises(ValueError, match=r'spaceship.*b1c81faa-3df17267\.jpg'):
        tool.convert(bad, 'bdd10')
    coco, stats = tool.convert(bad, 'bdd10', skip_unknown=True)
    assert stats['skipped']['unknown'] == {'spaceship': 1}
    assert len(coco['annotations']) == 17


def test_invalid_mode(frames):
    with pytest.raises(ValueError, match='mode'):
        tool.convert(frames, 'coco80')


def test_cli_both_modes(tmp_path):
    for mode, n_cats, n_boxes in (('bdd10', 10, 17), ('ivslab', 4, 12)):
        out = tmp_path / mode / 'instances.json'
        result = _run(str(FIXTURE), str(out), '--mode', mode)
        assert result.returncode == 0, result.stderr
        assert f'5 images, {n_boxes} boxes' in result.stdout
        assert '3 degenerate' in result.stdout
        coco = COCO(str(out))
        assert len(coco.getCatIds()) == n_cats and len(coco.getAnnIds()) == n_boxes
        assert len(coco.getImgIds()) == 5
        # results load against it (pycocotools' loadRes copies the file's 'info')
        ann = coco.loadAnns(coco.getAnnIds()[:1])[0]
        res = coco.loadRes([dict(image_id=ann['image_id'], category_id=ann['category_id'],
                                 bbox=ann['bbox'], score=0.9)])
        assert 'info' in res.dataset and len(res.getAnnIds()) == 1


def test_cli_image_size_option(tmp_path):
    out = tmp_path / 'small.json'
    result = _run(str(FIXTURE), str(out), '--mode', 'bdd10', '--img-width', '640')
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text())['images'][0]['width'] == 640


def test_cli_unknown_category(tmp_path, frames):
    frames[0]['labels'].append({'category': 'ufo', 'box2d': {'x1': 1, 'y1': 1, 'x2': 9, 'y2': 9}})
    labels = tmp_path / 'labels.json'
    labels.write_text(json.dumps(frames))
    result = _run(str(labels), str(tmp_path / 'out.json'), '--mode', 'ivslab')
    assert result.returncode != 0
    assert 'ufo' in result.stderr and 'b1c66a42-6f7d68ca.jpg' in result.stderr
    assert 'Traceback' not in result.stderr
    assert not (tmp_path / 'out.json').exists()

    result = _run(str(labels), str(tmp_path / 'out.json'), '--mode', 'ivslab', '--skip-unknown')
    assert result.returncode == 0, result.stderr
    assert 'ufo=1' in result.stdout


def test_cli_missing_file(tmp_path):
    missing = tmp_path / 'nope.json'
    result = _run(str(missing), str(tmp_path / 'out.json'), '--mode', 'bdd10')
    assert result.returncode != 0
    assert str(missing) in result.stderr and 'not found' in result.stderr
    assert 'Traceback' not in result.stderr


@pytest.mark.parametrize('content', ['{"frames": 3', '{"not": "frames"}', '[1, 2]'])
def test_cli_corrupt_file(tmp_path, content):
    labels = tmp_path / 'corrupt.json'
    labels.write_text(content)
    result = _run(str(labels), str(tmp_path / 'out.json'), '--mode', 'bdd10')
    assert result.returncode != 0
    assert str(labels) in result.stderr
    assert 'Traceback' not in result.stderr


def test_scalabel_dataset_layout(tmp_path, frames):
    labels = tmp_path / 'scalabel.json'
    labels.write_text(json.dumps({'frames': frames, 'config': {}}))
    assert tool.load_frames(labels) == frames


def test_cli_refuses_to_overwrite_its_input(tmp_path):
    labels = tmp_path / 'labels.json'
    labels.write_bytes(FIXTURE.read_bytes())
    for out in (labels, tmp_path / '.' / 'labels.json'):
        result = _run(str(labels), str(out), '--mode', 'ivslab')
        assert result.returncode != 0
        assert 'is the input labels file' in result.stderr
    assert labels.read_bytes() == FIXTURE.read_bytes()


def test_cli_warns_when_no_box_is_written(tmp_path, frames):
    for frame in frames:  # a misspelt key: every frame's objects are invisible to the converter
        frame['lables'] = frame.pop('labels', [])
    labels = tmp_path / 'misspelt.json'
    labels.write_text(json.dumps(frames))
    result = _run(str(labels), str(tmp_path / 'out.json'), '--mode', 'ivslab')
    assert result.returncode == 0
    assert f'warning: {labels}: 0 boxes written from 5 frames (5 without a "labels" key)' \
        in result.stderr
    assert "'lables'" in result.stderr and '"box2d"' in result.stderr
    # a file with boxes does not warn
    result = _run(str(FIXTURE), str(tmp_path / 'ok.json'), '--mode', 'ivslab')
    assert 'warning' not in result.stderr
