"""Draw a checkpoint's predictions on one image with mmdet's DetInferencer.

    python tools/draw_predictions.py CONFIG CHECKPOINT IMAGE --out pred.jpg [--score-thr 0.3]
"""

import argparse
import os
import os.path as osp
import shutil
import tempfile

from mmdet.apis import DetInferencer

import mmdet_lite  # noqa: F401


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('image')
    parser.add_argument('--out', required=True, help='output image path')
    parser.add_argument('--score-thr', type=float, default=0.3)
    parser.add_argument('--device', default='cpu')
    args = parser.parse_args()
    for path in (args.config, args.checkpoint, args.image):
        if not osp.isfile(path):
            raise SystemExit(f"'{path}' not found.")
    inferencer = DetInferencer(model=args.config, weights=args.checkpoint, device=args.device,
                               show_progress=False)
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
