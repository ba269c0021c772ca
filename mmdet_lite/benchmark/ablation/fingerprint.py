"""Run fingerprints: what a run dir was trained with, so that no run of another configuration is
reused or paired with the current ones."""

import copy
import hashlib
import json
import os.path as osp
from typing import Sequence

from mmengine.config import Config, DictAction

from ...utils.file_hash import file_sha256


def run_fingerprint(cfg: Config, opts: Sequence[str]) -> str:
    """sha256 of what a run trains: the merged config (``work_dir`` left out), with every local
    file it loads weights from (a ``checkpoint`` key: a pre-trained backbone, a teacher) replaced
    by the sha256 of its content, so the fingerprint moves when a shipped backbone or a teacher
    is retrained and stays when only the checkout's path does."""
    cfg = copy.deepcopy(cfg)  # the caller's config stays as parsed
    cfg.merge_from_dict({k: DictAction._parse_iterable(v)
                         for k, v in (o.split('=', 1) for o in opts)})

    def norm(value):  # noqa: ANN001, ANN202
        if isinstance(value, dict):
            return {k: ('sha256:' + file_sha256(v) if k == 'checkpoint' and isinstance(v, str)
                        and osp.isfile(v) else norm(v))
                    for k, v in value.items() if k != 'work_dir'}
        if isinstance(value, (list, tuple)):
            return [norm(v) for v in value]
        return value

    text = json.dumps(norm(cfg.to_dict()), sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


def check_fingerprint(run_dir: str, fingerprint: str) -> None:
    """Refuse to reuse a run dir trained with another configuration, or one that holds results
    but no fingerprint (nothing says what it was trained with). A run dir with nothing to reuse
    passes: its fingerprint is written when its training starts."""
    path = osp.join(run_dir, 'fingerprint.txt')
    if osp.isfile(path):
        with open(path) as f:
            stored = f.read().strip()
        if stored != fingerprint:
            raise SystemExit(
                f'{run_dir} was trained with another configuration than the current one '
                f'(fingerprint {stored[:12]} vs {fingerprint[:12]}: the config, its options, a '
                'pre-trained backbone or the teacher changed). Use another --work-dir, or '
                '--force to retrain.')
        return
    if any(osp.exists(osp.join(run_dir, n)) for n in ('result.json', 'last_checkpoint')):
        raise SystemExit(
            f'{run_dir} holds results but no fingerprint.txt (written by an older runner), so '
            'nothing says they were trained with the current configs and checkpoints. Use '
            'another --work-dir, or --force to retrain.')


__all__ = ['check_fingerprint', 'run_fingerprint']
