"""Make the ivslab training and validation files the Mobile CenterNet configs read.

    python tools/ivslab_split.py ivslab_train_all.json data/ivslab/annotations \\
        [--every 10] [--val-every 20]

ivslab (ICME 2020 embedded object detection competition) is obtained from its organisers; it is
not downloadable here. Its training frames come from videos, so neighbours are near duplicates:
the paper keeps one frame in ten for training (Mobile CenterNet Sec. 4.1). Input: the training
annotations as one COCO file with the four classes (vehicle, pedestrian, scooter, bicycle),
``file_name`` relative to ``data/ivslab/images/train/``. Output, in OUT_DIR:

- ``ivslab_train.json``: every ``--every``-th frame in file-name order (the video order);
- ``ivslab_val.json``: one kept frame in ``--val-every``, taken from the kept frames (so the
  configs choose their best checkpoint on training-split frames, never on the test split);
  the training file leaves them out.

The 2,700 annotated test images (``ivslab_test.json``, ``images/test/``) are only for
``tools/test.py``. Image files are not touched; neither input nor output is overwritten.
"""

import argparse
import json
import os
import os.path as osp
import sys
from typing import Dict, List, Optional, Tuple

CLASSES = ('vehicle', 'pedestrian', 'scooter', 'bicycle')


def split(coco: dict, every: int = 10, val_every: int = 20) -> Tuple[dict, dict]:
    """``(train, val)`` COCO dicts: one frame in ``every`` by file name, and of those one in
    ``val_every`` held out for validation."""
    if every < 1 or val_every < 2:
        raise ValueError(f'need --every >= 1 and --val-every >= 2, got {every}, {val_every}')
    names = sorted(c['name'] for c in coco.get('categories', []))
    if names != sorted(CLASSES):
        raise ValueError(f'expected the ivslab classes {CLASSES}, the file has {names}')
    images = sorted(coco['images'], key=lambda im: im['file_name'])
    kept = images[::every]
    val_ids = {im['id'] for im in kept[val_every - 1::val_every]}
    train_ids = {im['id'] for im in kept} - val_ids

    def subset(ids: set) -> dict:
        return dict(info=dict(coco.get('info', {}), description='ivslab, tools/ivslab_split.py'),
                    licenses=coco.get('licenses', []), categories=coco['categories'],
                    images=[im for im in kept if im['id'] in ids],
                    annotations=[a for a in coco['annotations'] if a['image_id'] in ids])
    return subset(train_ids), subset(val_ids)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('annotations', help='all ivslab training annotations, COCO format')
    parser.add_argument('out_dir')
    parser.add_argument('--every', type=int, default=10, help='keep one frame in N (paper: 10)')
    parser.add_argument('--val-every', type=int, default=20,
                        help='hold out one kept frame in N for validation')
    args = parser.parse_args(argv)
    outs = {name: osp.join(args.out_dir, f'ivslab_{name}.json') for name in ('train', 'val')}
    for path in outs.values():
        if osp.exists(path):
            sys.exit(f'ivslab_split: {path} exists; remove it or give another OUT_DIR')
        if osp.abspath(path) == osp.abspath(args.annotations):
            sys.exit(f'ivslab_split: {path} is the input file; give another OUT_DIR')
    with open(args.annotations) as f:
        coco = json.load(f)
    try:
        parts: Dict[str, dict] = dict(zip(('train', 'val'), split(coco, args.every,
                                                                  args.val_every),
                                          strict=True))
    except ValueError as err:
        sys.exit(f'ivslab_split: {args.annotations}: {err}')
    os.makedirs(args.out_dir, exist_ok=True)
    for name, part in parts.items():
        with open(outs[name], 'w') as f:
            json.dump(part, f)
        print(f"{outs[name]}: {len(part['images'])} images, {len(part['annotations'])} boxes")
    return 0


if __name__ == '__main__':
    sys.exit(main())
