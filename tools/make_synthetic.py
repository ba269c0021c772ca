"""Generate the deterministic synthetic road-scene benchmark in COCO format.

Example::

    python tools/make_synthetic.py --out data/synthetic --num-train 1500 --num-val 300 \
        --width 576 --height 320 --seed 0
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

_SYNTHETIC = Path(__file__).resolve().parents[1] / 'mmdet_lite' / 'datasets' / 'synthetic'
if not (_SYNTHETIC / '__init__.py').is_file():  # run from the installed package (.mim/tools/)
    _SYNTHETIC = (Path(importlib.util.find_spec('mmdet_lite').submodule_search_locations[0]) /
                  'datasets' / 'synthetic')


def _load_synthetic() -> ModuleType:
    # Loaded by path so that rendering images does not import the mmdet_lite package, which
    # imports mmdet and torch. It is loaded as a package (its modules import each other
    # relatively) under a name without dots, registered before it runs, so that worker processes
    # can unpickle its functions.
    name = '_mmdet_lite_synthetic'
    spec = importlib.util.spec_from_file_location(
        name, _SYNTHETIC / '__init__.py', submodule_search_locations=[str(_SYNTHETIC)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default='data/synthetic', help='output directory')
    parser.add_argument('--num-train', type=int, default=1500)
    parser.add_argument('--num-val', type=int, default=300)
    parser.add_argument('--width', type=int, default=576)
    parser.add_argument('--height', type=int, default=320)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--workers', type=int, default=None, help='processes (default: auto)')
    parser.add_argument('--overwrite', action='store_true', help='regenerate even if up to date')
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    synthetic = _load_synthetic()
    start = time.perf_counter()
    try:
        summary = synthetic.make_synthetic_dataset(
            args.out,
            num_train=args.num_train,
            num_val=args.num_val,
            img_size=(args.width, args.height),
            seed=args.seed,
            overwrite=args.overwrite,
            num_workers=args.workers,
        )
    except ValueError as err:
        raise SystemExit(f'error: {err}') from None
    elapsed = time.perf_counter() - start
    print(f'{args.out}: ready in {elapsed:.1f} s')
    for split, info in summary.items():
        counts = ', '.join(f'{name}={n}' for name, n in info['boxes_per_class'].items())
        print(f'  {split}: {info["num_images"]} images, {info["num_boxes"]} boxes ({counts})')
    return 0


if __name__ == '__main__':
    sys.exit(main())
