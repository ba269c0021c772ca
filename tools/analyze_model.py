"""Parameter and MAC count of a config's model (mmengine.analysis), as in the papers' tables.

    python tools/analyze_model.py CONFIG --shape 320 576 [--json]

GMACs are multiply-accumulates (the papers' "GFLOPs" count MACs), measured on the tensor
forward path (backbone, neck and head; no post-processing) for one image of the given shape.
"""

import argparse
import json

from mmengine.config import Config, DictAction

import mmdet_lite  # noqa: F401
from mmdet_lite.benchmark.complexity import model_complexity as analyze


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--shape', type=int, nargs=2, default=[320, 576], metavar=('H', 'W'))
    parser.add_argument('--json', action='store_true', help='print one JSON object')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    res = analyze(cfg, tuple(args.shape))
    res['config'] = args.config
    if args.json:
        print(json.dumps(res))
        return
    h, w = args.shape
    print(f'{args.config} @ {h}x{w} (HxW)')
    print(f"| part     | params (M) | GMACs  |\n|----------|-----------:|-------:|\n"
          f"| model    | {res['params_M']:10.3f} | {res['gmacs']:6.2f} |\n"
          f"| backbone | {res['backbone_params_M']:10.3f} | {res['backbone_gmacs']:6.2f} |")


if __name__ == '__main__':
    main()
