"""A run resumed after an interruption: its training time counts every attempt, and its log
keeps them all."""

import sys

from mmdet_lite.benchmark.ablation import logged_training_seconds, run_logged


def _log(run_dir, stamp, lines):
    d = run_dir / stamp
    d.mkdir()
    (d / f'{stamp}.log').write_text(''.join(f'{t} - mmengine - INFO - {msg}\n'
                                            for t, msg in lines))


def test_logged_training_seconds_sums_the_attempts(tmp_path):
    assert logged_training_seconds(str(tmp_path)) is None  # never started
    # the first attempt was killed 5 min 30 s in, the resumed one ran 1 min across midnight
    _log(tmp_path, '20261206_235900', [('2026/12/06 10:00:00', 'start'),
                                       ('2026/12/06 10:02:00', 'Epoch(train) [1][20/188]'),
                                       ('2026/12/06 10:05:30', 'Epoch(train) [1][60/188]')])
    _log(tmp_path, '20261207_000000', [('2026/12/06 23:59:30', 'resumed epoch: 1'),
                                       ('2026/12/07 00:00:30', 'Saving checkpoint')])
    # an attempt that died before its second line adds nothing
    _log(tmp_path, '20261207_010000', [('2026/12/07 01:00:00', 'start')])
    (tmp_path / 'test').mkdir()  # the runner's evaluation folder is not a training log
    (tmp_path / 'train.log').write_text('2026/12/07 02:00:00 - mmengine - INFO - x\n')
    assert logged_training_seconds(str(tmp_path)) == 330 + 60


def test_run_logged_keeps_the_earlier_attempt_when_appending(tmp_path):
    log = str(tmp_path / 'train.log')
    run_logged([sys.executable, '-c', 'print("attempt 1")'], log, append=True)
    run_logged([sys.executable, '-c', 'print("attempt 2")'], log, append=True)
    assert open(log).read() == 'attempt 1\nattempt 2\n'
    run_logged([sys.executable, '-c', 'print("evaluation")'], log)  # the default overwrites
    assert open(log).read() == 'evaluation\n'
