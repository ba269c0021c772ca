"""--resume picks the newest checkpoint even when mmengine's last_checkpoint record is missing."""

import os
import os.path as osp

import pytest

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


def test_resume_passes_over_a_checkpoint_cut_short(tmp_path):
    """A run killed while writing epoch_2.pth resumes from epoch_1.pth; one killed while writing
    its first checkpoint starts anew; an explicit corrupt --resume PATH exits with the fix."""
    import pytest
    import torch

    from mmdet_lite.utils.runner_setup import check_resume_checkpoint, find_resumable_checkpoint
    wd = str(tmp_path)
    first = osp.join(wd, 'epoch_1.pth')
    torch.save(dict(state_dict=dict(w=torch.zeros(32, 32))), first)
    data = open(first, 'rb').read()
    with open(osp.join(wd, 'epoch_2.pth'), 'wb') as f:
        f.write(data[:len(data) // 3])
    assert find_latest_checkpoint(wd) == osp.join(wd, 'epoch_2.pth')
    assert find_resumable_checkpoint(wd) == first
    assert osp.exists(osp.join(wd, 'epoch_2.pth'))  # reported, not deleted
    os.remove(first)
    assert find_resumable_checkpoint(wd) is None
    with pytest.raises(SystemExit, match=r'--resume .*epoch_2.pth: .*truncated.*delete it.*'
                                         r'start without --resume'):
        check_resume_checkpoint(osp.join(wd, 'epoch_2.pth'))


def test_missing_pretrained_weights_named_with_the_fix(tmp_path):
    from mmengine.config import Config

    from mmdet_lite.utils.runner_setup import check_pretrained_weights
    (tmp_path / 'checkpoints').mkdir()
    ckpt = tmp_path / 'checkpoints' / 'backbone.pth'
    cfg = Config(dict(model=dict(type='SingleStageDetector', backbone=dict(
        type='Res2NetLite', init_cfg=dict(type='Pretrained', checkpoint=str(ckpt))))))
    with pytest.raises(FileNotFoundError, match=r'model.backbone.init_cfg loads .*backbone.pth, '
                       r'which does not exist.*run `make checkpoints/backbone.pth` in the '
                       r'repository root.*--cfg-options model.backbone.init_cfg=None'):
        check_pretrained_weights(cfg)
    # a path outside checkpoints/ is the user's: no Makefile target to name
    cfg.model.backbone.init_cfg.checkpoint = str(tmp_path / 'mine.pth')
    with pytest.raises(FileNotFoundError, match=r'does not exist. Check the path.'):
        check_pretrained_weights(cfg)
    cfg.model.backbone.init_cfg.checkpoint = str(ckpt)
    ckpt.write_bytes(b'')
    check_pretrained_weights(cfg)  # present: the loader checks its content
    cfg.model.backbone.init_cfg = [dict(type='Kaiming', layer='Conv2d'),
                                   dict(type='Pretrained', checkpoint='https://x/y.pth')]
    check_pretrained_weights(cfg)  # lists and downloads pass


def test_resume_without_checkpoint_keeps_the_configs_load_from(tmp_path):
    """A fine-tuning config launched with --resume before its first checkpoint (a cluster job's
    first start) starts from its load_from, not from scratch; later starts resume."""
    import torch
    from mmengine.config import Config

    from mmdet_lite.utils.runner_setup import apply_resume
    wd = str(tmp_path)
    cfg = Config(dict(work_dir=wd, load_from='bdd100k_epoch_60.pth', resume=False))
    apply_resume(cfg, 'auto')
    assert cfg.load_from == 'bdd100k_epoch_60.pth' and cfg.resume is False
    torch.save(dict(state_dict={}), osp.join(wd, 'epoch_1.pth'))
    apply_resume(cfg, 'auto')
    assert cfg.load_from == osp.join(wd, 'epoch_1.pth') and cfg.resume is True
    cfg = Config(dict(work_dir=wd, load_from='x.pth', resume=False))
    apply_resume(cfg, None)
    assert cfg.load_from == 'x.pth' and cfg.resume is False
