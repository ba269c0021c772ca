"""--resume picks the newest checkpoint even when mmengine's last_checkpoint record is missing."""

import os
import os.path as osp

from mmdet_lite.utils.runner_setup import find_latest_checkpoint


def touch(path):
    with open(path, 'wb') as f:
        f.write(b'x')


def test_find_latest_checkpoint(tmp_path):
    wd = str(tmp_path)
    assert find_latest_checkpoint(wd) is None
    for name in ('epoch_2.pth', 'epoch_10.pth', 'best_coco_bbox_mAP_50_epoch_2.pth'):
        touch(osp.join(wd, name))
    assert find_latest_checkpoint(wd) == osp.join(wd, 'epoch_10.pth')  # numeric, not lexical
    with open(osp.join(wd, 'last_checkpoint'), 'w') as f:
        f.write(osp.join(wd, 'epoch_2.pth'))
    assert find_latest_checkpoint(wd) == osp.join(wd, 'epoch_2.pth')  # the record wins
    os.remove(osp.join(wd, 'epoch_2.pth'))  # a stale record is ignored
    assert find_latest_checkpoint(wd) == osp.join(wd, 'epoch_10.pth')
