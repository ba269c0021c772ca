"""Draw a checkpoint's predictions on one image (mmdet's DetInferencer, strict weights).

    python tools/draw_predictions.py CONFIG CHECKPOINT IMAGE --out pred.jpg [--score-thr 0.3]
        [--allow-partial]
"""

import argparse
import os
import os.path as osp
import shutil
import tempfile
from typing import List, Optional

import mmcv

import mmdet_lite  # noqa: F401
from mmdet_lite.apis import LiteDetInferencer
from mmdet_lite.utils.checkpoint_fit import CheckpointMismatchError
from mmdet_lite.utils.output_paths import refuse_overwriting_input


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('image')
    parser.add_argument('--out', required=True, help='output image path (not the input image)')
    parser.add_argument('--score-thr', type=float, default=0.3)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--allow-partial', action='store_true',
                        help='load a checkpoint that does not fit the config (partial load)')
    args = parser.parse_args(argv)
    for path in (args.config, args.checkpoint, args.image):
        if not osp.isfile(path):
            raise SystemExit(f"'{path}' not found.")
    refuse_overwriting_input(args.out, args.image, args.config, args.checkpoint)
    if mmcv.imread(args.image) is None:
        raise SystemExit(f"'{args.image}' cannot be read as an image (not an image file, or "
                         'corrupt).')
    try:
        inferencer = LiteDetInferencer(model=args.config, weights=args.checkpoint,
                                       device=args.device, show_progress=False,
                                       strict=not args.allow_partial)
    except CheckpointMismatchError as err:
        raise SystemExit(f'error: {str(err).replace("strict=False", "--allow-partial")}') from err
    with tempfile.TemporaryDirectory() as tmp:
        result = inferencer(args.image, out_dir=tmp, pred_score_thr=args.score_thr,
                            no_save_pred=True)
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        shutil.copy(osp.join(tmp, 'vis', osp.basename(args.image)), args.out)
    pred = result['predictions'][0]
    kept = sum(s >= args.score_thr for s in pred['scores'])
    print(f'{kept} detections with score >= {args.score_thr} drawn to {args.out}')


if __name__ == '__main__':
    main()
