"""A work dir belongs to one config; checkpoints are written whole; unusable work dirs and
num_classes that contradict the data are refused before anything runs."""

import errno
import os
import os.path as osp

import pytest
from mmengine.config import Config

import mmdet_lite  # noqa: F401
from mmdet_lite.datasets import DatasetError
from mmdet_lite.utils.config_checks import check_num_classes
from mmdet_lite.utils.work_dir import WorkDirError, atomic, check_work_dir, check_writable
from projects_tests.conftest import REPO_ROOT, tool_main

W16 = osp.join(REPO_ROOT, 'configs/mobile_centernet/mcn_hrnet-w16_cbfl_synthetic.py')
W16_PLAIN = osp.join(REPO_ROOT, 'configs/mobile_centernet/mcn_hrnet-w16_synthetic.py')


def finished_run(work_dir, config_name='mcn_hrnet-w16_synthetic.py'):
    os.makedirs(work_dir)
    open(osp.join(work_dir, config_name), 'w').close()  # what mmengine's Runner dumps
    open(osp.join(work_dir, 'epoch_4.pth'), 'wb').close()


def test_work_dir_of_another_config_is_refused(tmp_path):
    work_dir = str(tmp_path / 'wd')
    finished_run(work_dir)
    cfg = Config.fromfile(W16)
    cfg.work_dir = work_dir
    with pytest.raises(WorkDirError, match=r'holds a run of mcn_hrnet-w16_synthetic.py \('
                       r'checkpoints epoch_4.pth\), not of mcn_hrnet-w16_cbfl_synthetic.py.*'
                       r'--work-dir with a new folder \(or --force'):
        check_work_dir(cfg)
    check_work_dir(cfg, force=True)  # shared on request
    same = Config.fromfile(W16_PLAIN)
    same.work_dir = work_dir
    check_work_dir(same)  # its own run: resumable


def test_train_resume_into_another_configs_run_exits_before_training(tmp_path, monkeypatch):
    """tools/train.py --resume in a finished run of another config of the same family used to
    'resume epoch 4', train nothing and exit 0."""
    work_dir = str(tmp_path / 'wd')
    finished_run(work_dir)
    monkeypatch.chdir(REPO_ROOT)
    with pytest.raises(SystemExit) as exc:  # exit status 1, the message on stderr
        tool_main('train', [W16, '--work-dir', work_dir, '--resume'], monkeypatch)
    assert str(exc.value).startswith('error: work dir')
    assert 'not of mcn_hrnet-w16_cbfl_synthetic.py' in str(exc.value)
    assert sorted(os.listdir(work_dir)) == ['epoch_4.pth', 'mcn_hrnet-w16_synthetic.py']


def test_unwritable_work_dir_is_one_line(tmp_path):
    (tmp_path / 'file').write_text('')
    with pytest.raises(WorkDirError, match=r'work dir .*file/wd is not writable \(Not a '
                       r'directory\): pass --work-dir'):
        check_writable(str(tmp_path / 'file' / 'wd'))


def test_checkpoints_are_written_atomically(tmp_path):
    """A full disk mid-write leaves the previous checkpoint and no truncated file."""
    target = tmp_path / 'epoch_2.pth'
    target.write_bytes(b'old run')

    def full_disk(checkpoint, filename):
        with open(filename, 'wb') as f:
            f.write(b'half')
        raise OSError(errno.ENOSPC, 'No space left on device')

    with pytest.raises(WorkDirError, match=r'could not write checkpoint .*epoch_2.pth \(No space '
                       r'left on device\): free space'):
        atomic(full_disk)(dict(a=1), str(target))
    assert target.read_bytes() == b'old run' and sorted(os.listdir(tmp_path)) == ['epoch_2.pth']

    def write(checkpoint, filename):
        with open(filename, 'wb') as f:
            f.write(b'new')
    atomic(write)(dict(a=1), str(target))
    assert target.read_bytes() == b'new' and sorted(os.listdir(tmp_path)) == ['epoch_2.pth']
    from mmengine.runner import runner
    assert runner.save_checkpoint._mmdet_lite_atomic  # the compat patch is active


def test_num_classes_against_the_data_classes():
    cfg = Config.fromfile(W16)
    check_num_classes(cfg)
    cfg.model.bbox_head.num_classes = 3
    with pytest.raises(DatasetError, match=r"model.bbox_head.num_classes = 3, but the data set "
                       r"has 4 classes \['vehicle'.*--cfg-options model.bbox_head.num_classes=4"):
        check_num_classes(cfg)
