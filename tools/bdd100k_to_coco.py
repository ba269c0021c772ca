"""Convert BDD100K detection labels to a COCO detection json.

Usage::

    python tools/bdd100k_to_coco.py LABELS_JSON OUT_JSON --mode {bdd10,ivslab} \
        [--img-width 1280 --img-height 720] [--skip-unknown]

Modes:

* ``bdd10``: the 10 BDD100K detection classes (ids 1..10).
* ``ivslab``: the 4 classes of the Mobile CenterNet paper (vehicle, pedestrian, scooter,
  bicycle); car, bus and truck become vehicle, motorcycle becomes scooter; rider, train,
  traffic light and traffic sign are dropped.

Both naming schemes are accepted: the 2018 release ('person', 'bike', 'motor') and the 2020
'100k det' release ('pedestrian', 'bicycle', 'motorcycle'). Labels without ``box2d`` (lanes,
drivable area) are skipped, as are the 2020 classes that BDD100K itself does not evaluate
('other person', 'other vehicle', 'trailer'). Boxes are treated as continuous coordinates
(``w = x2 - x1``, as in mmdet) and clipped to the image; boxes with no area left are skipped.
All BDD100K images are 1280x720, so image files are never opened.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path

BDD10_CLASSES = (
    'pedestrian',
    'rider',
    'car',
    'truck',
    'bus',
    'train',
    'motorcycle',
    'bicycle',
    'traffic light',
    'traffic sign',
)
IVSLAB_CLASSES = ('vehicle', 'pedestrian', 'scooter', 'bicycle')

# 2018 release names -> 2020 names.
ALIASES = {'person': 'pedestrian', 'bike': 'bicycle', 'motor': 'motorcycle'}
# Box categories of the 2020 release that BDD100K's own evaluation ignores.
NOT_EVALUATED = frozenset({'other person', 'other vehicle', 'trailer'})

# Canonical category -> output class name, or None to drop it.
MODES: dict[str, tuple[tuple[str, ...], dict[str, str | None]]] = {
    'bdd10': (BDD10_CLASSES, {name: name for name in BDD10_CLASSES}),
    'ivslab': (
        IVSLAB_CLASSES,
        {
            'car': 'vehicle',
            'bus': 'vehicle',
            'truck': 'vehicle',
            'pedestrian': 'pedestrian',
            'motorcycle': 'scooter',
            'bicycle': 'bicycle',
            'rider': None,
            'train': None,
            'traffic light': None,
            'traffic sign': None,
        },
    ),
}


def _canonical(category: str) -> str:
    name = category.strip().lower()
    return ALIASES.get(name, name)


def _box(label: dict, frame_name: str) -> tuple[float, float, float, float]:
    box = label['box2d']
    try:
        coords = tuple(float(box[k]) for k in ('x1', 'y1', 'x2', 'y2'))
    except (KeyError, TypeError, ValueError):
        raise ValueError(f'frame {frame_name!r}: malformed box2d {box!r}') from None
    if not all(math.isfinite(v) for v in coords):
        raise ValueError(f'frame {frame_name!r}: non-finite box2d {box!r}')
    return coords


def _frame_name(frame: object, index: int, seen: set) -> str:
    if not isinstance(frame, dict) or not isinstance(frame.get('name'), str):
        raise ValueError(f'frame #{index} has no "name"')
    name = frame['name']
    if name in seen:
        raise ValueError(f'duplicate frame {name!r}')
    seen.add(name)
    return name


def _label_box(label: object, name: str, mapping: dict, skip_unknown: bool,
               size: tuple[int, int], tally: dict) -> tuple[str, list] | None:
    """``(output class, [x, y, w, h] clipped to the image)`` of one label, or None when it is
    not kept (counted in ``tally``)."""
    if not isinstance(label, dict):
        raise ValueError(f'frame {name!r}: label {label!r} is not an object')
    if not label.get('box2d'):
        tally['no_box2d'] += 1  # lanes, drivable area
        return None
    category = _canonical(str(label.get('category', '')))
    if category in NOT_EVALUATED or (category in mapping and mapping[category] is None):
        tally['dropped'][category] += 1
        return None
    if category not in mapping:
        if not skip_unknown:
            raise ValueError(f'unknown category {label.get("category")!r} in frame {name!r} '
                             '(use --skip-unknown to ignore it)')
        tally['unknown'][category] += 1
        return None
    x1, y1, x2, y2 = _box(label, name)
    width, height = size
    cx1, cy1 = min(max(x1, 0.0), width), min(max(y1, 0.0), height)
    cx2, cy2 = min(max(x2, 0.0), width), min(max(y2, 0.0), height)
    w, h = cx2 - cx1, cy2 - cy1
    if w <= 0 or h <= 0:
        tally['degenerate'] += 1  # zero-area, inverted or entirely outside the image
        return None
    tally['clipped'] += (cx1, cy1, cx2, cy2) != (x1, y1, x2, y2)
    tally['boxes'][mapping[category]] += 1
    return mapping[category], [cx1, cy1, w, h]


def convert(
    frames: list,
    mode: str,
    img_size: tuple[int, int] = (1280, 720),
    skip_unknown: bool = False,
) -> tuple[dict, dict]:
    """Converts BDD100K frames to a COCO dict; returns ``(coco, stats)``.

    ``img_size`` is ``(width, height)`` for every image. ``stats`` holds ``images``,
    ``boxes`` (per output class), ``clipped`` and ``skipped`` (``no_box2d``, ``degenerate``,
    ``dropped`` per category, ``unknown`` per category). Unknown categories raise ValueError
    unless ``skip_unknown``.
    """
    if mode not in MODES:
        raise ValueError(f'unknown mode {mode!r}, expected one of {sorted(MODES)}')
    classes, mapping = MODES[mode]
    class_ids = {name: i + 1 for i, name in enumerate(classes)}
    if not isinstance(frames, list):
        raise ValueError(f'expected a list of frames, got {type(frames).__name__}')
    images, annotations, seen = [], [], set()
    tally = dict(boxes=Counter(), dropped=Counter(), unknown=Counter(), no_box2d=0,
                 degenerate=0, clipped=0, no_labels=0)
    for index, frame in enumerate(frames):
        name = _frame_name(frame, index, seen)
        image_id = len(images) + 1
        images.append({'id': image_id, 'file_name': name, 'width': img_size[0],
                       'height': img_size[1]})
        tally['no_labels'] += 'labels' not in frame  # frames without objects may lack the key
        labels = frame.get('labels') or []
        if not isinstance(labels, list):
            raise ValueError(f'frame {name!r}: "labels" is not a list')
        for label in labels:
            kept = _label_box(label, name, mapping, skip_unknown, img_size, tally)
            if kept is not None:
                annotations.append({'id': len(annotations) + 1, 'image_id': image_id,
                                     'category_id': class_ids[kept[0]], 'bbox': kept[1],
                                     'area': kept[1][2] * kept[1][3], 'iscrowd': 0})
    coco = {
        # pycocotools' loadRes copies 'info' (a KeyError in some releases when it is missing)
        'info': {'description': f'BDD100K box2d labels converted by mmdet_lite '
                                f'tools/bdd100k_to_coco.py ({mode})'},
        'licenses': [],
        'images': images,
        'annotations': annotations,
        'categories': [{'id': i, 'name': n} for n, i in class_ids.items()],
    }
    return coco, _stats(tally, classes, len(images))


def _stats(tally: dict, classes: tuple, num_images: int) -> dict:
    return {
        'images': num_images,
        'boxes': {name: tally['boxes'][name] for name in classes},
        'clipped': tally['clipped'],
        'frames_without_labels': tally['no_labels'],
        'skipped': {
            'no_box2d': tally['no_box2d'],
            'degenerate': tally['degenerate'],
            'dropped': dict(sorted(tally['dropped'].items())),
            'unknown': dict(sorted(tally['unknown'].items())),
        },
    }


def load_frames(path: str | Path) -> list:
    """Reads a BDD100K label file; exits with a message naming the file if it is unusable."""
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise SystemExit(f'error: labels file not found: {path}') from None
    except (OSError, UnicodeDecodeError) as err:
        raise SystemExit(f'error: cannot read labels file {path}: {err}') from None
    except json.JSONDecodeError as err:
        raise SystemExit(f'error: labels file {path} is not valid JSON: {err}') from None
    if isinstance(data, dict) and isinstance(data.get('frames'), list):
        data = data['frames']  # Scalabel dataset layout: {"frames": [...], "config": ...}
    if not isinstance(data, list):
        raise SystemExit(f'error: labels file {path} does not hold a list of frames')
    return data


def _print_summary(stats: dict, out: str) -> None:
    total = sum(stats['boxes'].values())
    print(f'wrote {out}: {stats["images"]} images, {total} boxes')
    for name, n in stats['boxes'].items():
        print(f'  {name:<14} {n}')
    skipped = stats['skipped']
    print(f'clipped to the image: {stats["clipped"]}')
    print(
        f'skipped: {skipped["no_box2d"]} labels without box2d, {skipped["degenerate"]} degenerate'
    )
    for key in ('dropped', 'unknown'):
        if skipped[key]:
            detail = ', '.join(f'{k}={v}' for k, v in skipped[key].items())
            print(f'skipped {key} categories: {detail}')


def _warn_if_empty(stats: dict, frames: list, labels_path: str) -> None:
    """Warn when nothing was converted: usually the wrong file or a renamed key, not empty data."""
    if sum(stats['boxes'].values()) or not frames:
        return
    keys = sorted({k for f in frames[:100] if isinstance(f, dict) for k in f})
    print(
        f'warning: {labels_path}: 0 boxes written from {len(frames)} frames '
        f'({stats["frames_without_labels"]} without a "labels" key). Expected each frame as '
        '{"name": ..., "labels": [{"category": ..., "box2d": {"x1", "y1", "x2", "y2"}}]}; '
        f'the frames have the keys {keys}. Check that this is a BDD100K detection label file.',
        file=sys.stderr,
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Convert BDD100K detection labels to COCO.')
    parser.add_argument('labels', help='BDD100K label json (list of frames)')
    parser.add_argument('out', help='output COCO json')
    parser.add_argument('--mode', choices=sorted(MODES), required=True)
    parser.add_argument('--img-width', type=int, default=1280)
    parser.add_argument('--img-height', type=int, default=720)
    parser.add_argument(
        '--skip-unknown', action='store_true', help='drop unknown categories instead of failing'
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.img_width <= 0 or args.img_height <= 0:
        raise SystemExit('error: --img-width and --img-height must be positive')
    out = Path(args.out)
    if out.exists() and out.resolve() == Path(args.labels).resolve():
        raise SystemExit(
            f'error: the output {args.out} is the input labels file; give another path'
        )
    frames = load_frames(args.labels)
    try:
        coco, stats = convert(
            frames, args.mode, (args.img_width, args.img_height), skip_unknown=args.skip_unknown
        )
    except ValueError as err:
        raise SystemExit(f'error: {args.labels}: {err}') from None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(coco))
    _print_summary(stats, str(out))
    _warn_if_empty(stats, frames, args.labels)
    return 0


if __name__ == '__main__':
    sys.exit(main())
