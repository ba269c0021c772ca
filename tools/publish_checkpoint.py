"""Publish a training checkpoint: weights (optionally of one sub-module) and meta, no optimizer.

    python tools/publish_checkpoint.py work_dirs/RUN/epoch_6.pth OUT.pth [--prefix backbone.]

mmdet's ``publish_model`` does the same but unpickles with the full pickle; this one loads
weights-only (``mmdet_lite.utils.safe_checkpoint``), so the input may come from anywhere. The
output keeps the keys as they are (a ``--prefix backbone.`` file loads into a detector with
``init_cfg=dict(type='Pretrained', checkpoint=OUT, prefix='backbone.')``) and prints its size and
SHA-256, which the README records for the checkpoints this package ships.
"""

import argparse
import hashlib
import os
import os.path as osp
import sys
from typing import List, Optional

import torch

from mmdet_lite.utils.output_paths import refuse_overwriting_input
from mmdet_lite.utils.safe_checkpoint import safe_torch_load


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('checkpoint', help='a checkpoint written by mmengine (or a state dict)')
    parser.add_argument('out', help='the published file')
    parser.add_argument('--prefix', default='',
                        help="keep only the weights whose key starts with this, e.g. 'backbone.'")
    return parser.parse_args(argv)


def publish(checkpoint: str, out: str, prefix: str = '') -> str:
    """Write ``out`` and return its SHA-256."""
    refuse_overwriting_input(out, checkpoint, flag='OUT')
    ckpt = safe_torch_load(checkpoint, map_location='cpu')
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else None
    if not isinstance(state, dict):
        raise SystemExit(f"error: '{checkpoint}' holds no state dict")
    kept = {k: v.detach().clone() for k, v in state.items()
            if k.startswith(prefix) and torch.is_tensor(v)}
    if not kept:
        raise SystemExit(f"error: no weights in '{checkpoint}' start with '{prefix}' "
                         f'(first keys: {list(state)[:3]})')
    meta = dict(ckpt.get('meta', {})) if 'state_dict' in ckpt else {}
    meta.update(published_from=osp.basename(checkpoint), published_prefix=prefix)
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    tmp = out + '.tmp'
    torch.save(dict(state_dict=kept, meta=meta), tmp)
    os.replace(tmp, out)  # never a half-written file under the published name
    with open(out, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    sha = publish(args.checkpoint, args.out, args.prefix)
    print(f'{args.out}: {osp.getsize(args.out) / 2**20:.2f} MiB, sha256 {sha}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
