"""The runs' processes and logs: a command run with its output logged, a run's training time."""

import glob
import os
import os.path as osp
import re
import subprocess
import time
from datetime import datetime
from typing import List, Optional


def run_logged(cmd: List[str], log_path: str, append: bool = False) -> float:
    """Run ``cmd``, write its output to ``log_path`` (echoing progress; ``append`` keeps what an
    earlier attempt wrote there); return seconds taken."""
    print('$ ' + ' '.join(cmd), flush=True)
    start = time.time()
    with open(log_path, 'a' if append else 'w') as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                env=dict(os.environ, PYTHONUNBUFFERED='1'))
        for line in proc.stdout:
            log.write(line)
            if 'Epoch(' in line or 'Error' in line or 'bbox_mAP_copypaste' in line:
                print('  ' + line.rstrip()[:160], flush=True)
        if proc.wait() != 0:
            raise SystemExit(f'command failed (exit {proc.returncode}), see {log_path}')
    return time.time() - start


_LOG_STAMP = re.compile(r'^(\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}) - mmengine')


def logged_training_seconds(run_dir: str) -> Optional[float]:
    """Wall time of a run's training over all its attempts: mmengine writes one log per start,
    ``run_dir/<timestamp>/<timestamp>.log``, so a run resumed after an interruption is the sum of
    each log's last minus first time stamp (the minutes before a kill after the last logged line
    excepted). None when no log has two time stamps."""
    total, found = 0.0, False
    for log in sorted(glob.glob(osp.join(run_dir, '[0-9]*_[0-9]*', '[0-9]*_[0-9]*.log'))):
        stamps = []
        with open(log, errors='replace') as f:
            for line in f:
                m = _LOG_STAMP.match(line)
                if m:
                    stamps.append(m.group(1))
        if len(stamps) >= 2:
            first, last = (datetime.strptime(t, '%Y/%m/%d %H:%M:%S') for t in (stamps[0],
                                                                               stamps[-1]))
            total += (last - first).total_seconds()
            found = True
    return total if found else None


__all__ = ['logged_training_seconds', 'run_logged']
