"""Parameter and MAC count of a config's model (mmengine.analysis), as in the papers' tables.

    python tools/analyze_model.py CONFIG --shape 320 576 [--json]

GMACs are multiply-accumulates (the papers' "GFLOPs" count MACs), measured on the tensor
forward path (backbone, neck and head; no post-processing) for one image of the given shape.
"""

import argparse
import json

import torch
import torch.nn as nn
from mmdet.registry import MODELS
from mmengine.analysis import get_model_complexity_info
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope

import mmdet_lite  # noqa: F401


class _TensorForward(nn.Module):
    """Expose a detector's tensor path (``_forward``) as a plain ``forward(x)``."""

    def __init__(self, detector: nn.Module) -> None:
        super().__init__()
        self.detector = detector

    def forward(self, x: torch.Tensor):
        return self.detector._forward(x)


def analyze(cfg: Config, shape: tuple) -> dict:
    """Params (M) and GMACs of ``cfg.model`` (and of its backbone) for a ``1x3xHxW`` input."""
    init_default_scope(cfg.get('default_scope', 'mmdet'))
    model_cfg = cfg.model.copy()
    if 'backbone' in model_cfg:  # no pretrained downloads just to count
        model_cfg.backbone.pop('init_cfg', None)
    model = MODELS.build(model_cfg)
    model.eval()
    x = torch.zeros(1, 3, *shape)
    with torch.no_grad():
        info = get_model_complexity_info(_TensorForward(model), inputs=(x, ), show_table=False,
                                         show_arch=False)
        bb = get_model_complexity_info(model.backbone, inputs=(x, ), show_table=False,
                                       show_arch=False)
    return dict(shape=list(shape), params_M=info['params'] / 1e6, gmacs=info['flops'] / 1e9,
                backbone_params_M=bb['params'] / 1e6, backbone_gmacs=bb['flops'] / 1e9)


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
