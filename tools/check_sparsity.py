"""Verify the N:M (2:4) structured sparsity of a checkpoint or an exported ONNX file.

    python tools/check_sparsity.py work_dirs/<run>/epoch_12.pth
    python tools/check_sparsity.py model.onnx [--n 2 --m 4] [--all]

For a checkpoint written by a run with ``StructuredSparsityHook``, the layers checked are those
its saved masks name, and each weight must be zero wherever its mask is; for other checkpoints,
every conv / linear weight whose input size divides by M. For an ONNX file, every dense Conv /
Gemm weight (the masks survive export as zeros). Prints one line per layer (``--all``; by default
only the failing ones) and a summary; exits 1 if a checked layer is not N:M sparse.
"""

import argparse
import sys
from typing import List, Optional

import torch


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('path', help='a .pth checkpoint or an .onnx file')
    parser.add_argument('--n', type=int, default=2, help='zeros per group')
    parser.add_argument('--m', type=int, default=4, help='group size')
    parser.add_argument('--all', action='store_true', help='print every layer, not only failures')
    args = parser.parse_args(argv)

    import mmdet_lite  # noqa: F401  (weights-only checkpoint loading)
    from mmdet_lite.utils.nm_sparsity import checkpoint_report, onnx_report
    if args.path.endswith('.onnx'):
        rows = list(onnx_report(args.path, args.n, args.m))
        source = 'ONNX Conv/Gemm weights'
    else:
        ckpt = torch.load(args.path, map_location='cpu', weights_only=True)
        state = ckpt.get('state_dict', ckpt)
        masks = ckpt.get('sparsity_masks') if isinstance(ckpt, dict) else None
        rows = list(checkpoint_report(state, masks, args.n, args.m))
        source = (f'{len(masks)} masked layers (StructuredSparsityHook)' if masks else
                  f'every conv/linear weight with input size divisible by {args.m} (no masks '
                  'in the checkpoint)')
    if not rows:
        print(f'{args.path}: no layer to check')
        return 1
    width = max(len(r['name']) for r in rows)
    for r in rows:
        if args.all or not r['ok']:
            status = 'ok' if r['ok'] else f"FAIL: {r['problem']}"
            print(f"{r['name']:<{width}}  {str(r['shape']):<20} zeros {r['sparsity']:6.1%}  "
                  f"{args.n}:{args.m} groups {r['groups_ok']:6.1%}  {status}")
    bad = [r for r in rows if not r['ok']]
    numel = [torch.Size(r['shape']).numel() if r['shape'] else 0 for r in rows]
    zeros = sum(r['sparsity'] * k for r, k in zip(rows, numel, strict=True))
    print(f'{args.path}: checked {source}: {len(rows) - len(bad)}/{len(rows)} layers '
          f'{args.n}:{args.m} sparse; {zeros / max(sum(numel), 1):.1%} of their '
          f'{sum(numel) / 1e6:.2f}M weights are zero')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
