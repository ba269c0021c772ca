"""Tools never write over their own inputs."""

import os.path as osp
from typing import Optional


def refuse_overwriting_input(out: Optional[str], *inputs: Optional[str],
                             flag: str = '--out') -> None:
    """Exit with a message when the output path ``out`` is one of the existing ``inputs``
    (the same file, also through a link or another relative path)."""
    if not out or not osp.exists(out):
        return
    for path in inputs:
        if path and osp.exists(path) and osp.samefile(out, path):
            raise SystemExit(f"error: {flag} '{out}' is the input '{path}'; writing it would "
                             'destroy the input. Give another output path.')
