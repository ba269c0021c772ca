"""Unreadable images: named by the loader, skipped in training (per-epoch count, fraction limit),
an error at test time; a real training run survives a corrupt image."""

import os.path as osp
from types import SimpleNamespace

import pytest
from mmdet.structures import DetDataSample
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope

import mmdet_lite  # noqa: F401
from mmdet_lite.datasets import (
    CheckedCocoDataset,
    CheckedLoadImageFromFile,
    DatasetError,
    UnreadableImageError,
)
from mmdet_lite.engine.hooks import UnreadableImageHook
from projects_tests.conftest import read_log, write_coco

TRAIN_PIPELINE = [dict(type='CheckedLoadImageFromFile'),
                  dict(type='LoadAnnotations', with_bbox=True), dict(type='PackDetInputs')]


def four_images(root):
    images = [dict(id=i + 1, file_name=f'{i}.jpg', width=64, height=48) for i in range(4)]
    anns = [dict(id=i + 1, image_id=i + 1, category_id=1, bbox=[4, 4, 20, 10], area=200,
                 iscrowd=0) for i in range(4)]
    write_coco(str(root), images, anns)
    return osp.join(str(root), 'images', 'train')


def corrupt(path, how):
    data = open(path, 'rb').read()
    with open(path, 'wb') as f:
        f.write({'garbage': b'\x00\x01 not an image' * 50, 'truncated': data[:len(data) // 2],
                 'text': b'name,x,y\n1,2,3\n'}[how])


@pytest.mark.parametrize('how', ['garbage', 'truncated', 'text'])
def test_loader_names_the_unreadable_file(tmp_path, how):
    img_dir = four_images(tmp_path)
    path = osp.join(img_dir, '1.jpg')
    load = CheckedLoadImageFromFile()
    assert load.transform(dict(img_path=osp.join(img_dir, '0.jpg')))['img'].shape == (48, 64, 3)
    corrupt(path, how)
    with pytest.raises(UnreadableImageError, match=r"1.jpg' cannot be decoded"):
        load.transform(dict(img_path=path))
    with pytest.raises(UnreadableImageError, match='2.jpg'):
        load.transform(dict(img_path=osp.join(img_dir, '2.jpg.gone')))


def make(root, **kwargs):
    init_default_scope('mmdet')
    return CheckedCocoDataset(data_root=str(root), ann_file='annotations/train.json',
                              data_prefix=dict(img='images/train/'),
                              metainfo=dict(classes=('vehicle', 'pedestrian', 'scooter',
                                                     'bicycle')), **kwargs)


def test_training_skips_and_tags_test_mode_raises(tmp_path):
    img_dir = four_images(tmp_path)
    corrupt(osp.join(img_dir, '2.jpg'), 'garbage')
    ds = make(tmp_path, pipeline=TRAIN_PIPELINE, max_unreadable=0.25)
    logger = MMLogger.get_instance('unreadable', log_file=str(tmp_path / 'log.txt'))
    data = ds[2]
    assert data['data_samples'].img_path != osp.join(img_dir, '2.jpg')  # another image
    assert data['data_samples'].unreadable_images == [osp.join(img_dir, '2.jpg')]
    assert f"Skipping unreadable image '{osp.join(img_dir, '2.jpg')}'" in read_log(logger)
    assert 'unreadable_images' not in ds[0]['data_samples']  # the tag is sent once
    # a second unreadable image: 2 of 4 > max_unreadable 0.25
    corrupt(osp.join(img_dir, '3.jpg'), 'truncated')
    with pytest.raises(DatasetError,
                       match=r'2 images of 4 in .*unreadable \(more than max_unreadable=0.25\)'):
        ds[3]
    # at test time, with the checked loader or mmcv's (kept in test pipelines), an error
    with pytest.raises(UnreadableImageError, match='2.jpg'):
        make(tmp_path, pipeline=TRAIN_PIPELINE, test_mode=True)[2]
    test_pipeline = [dict(type='LoadImageFromFile')] + TRAIN_PIPELINE[1:]
    with pytest.raises(UnreadableImageError, match='2.jpg'):
        make(tmp_path, pipeline=test_pipeline, test_mode=True)[2]


def test_hook_counts_per_epoch_and_enforces_the_limit(tmp_path):
    four_images(tmp_path)
    ds = make(tmp_path, pipeline=[], max_unreadable=0.5)  # 2 of 4 allowed per epoch
    warnings = []
    runner = SimpleNamespace(train_dataloader=SimpleNamespace(dataset=ds), epoch=0,
                             logger=SimpleNamespace(warning=warnings.append))

    def batch(*paths):
        samples = [DetDataSample(metainfo=dict(unreadable_images=[p])) for p in paths]
        return dict(data_samples=samples + [DetDataSample()])

    hook = UnreadableImageHook()
    for epoch in range(2):  # the count starts again each epoch
        runner.epoch = epoch
        hook.before_train_epoch(runner)
        hook.after_train_iter(runner, 0, batch('a.jpg'))
        hook.after_train_iter(runner, 1, batch('b.jpg', 'a.jpg'))  # a file counts once
        hook.after_train_epoch(runner)
    assert warnings == [f"Epoch {e}: 2 unreadable training image(s) skipped and replaced by "
                        "others: ['a.jpg', 'b.jpg']" for e in (1, 2)]
    hook.before_train_epoch(runner)
    with pytest.raises(DatasetError, match=r"3 unreadable images skipped in epoch 2"):
        hook.after_train_iter(runner, 0, batch('a.jpg', 'b.jpg', 'c.jpg'))


@pytest.mark.slow
def test_training_run_survives_a_corrupt_image(tmp_path, repo_root):
    """A real Runner: one undecodable training image, one epoch, the count in the log."""
    from mmengine.config import Config
    from mmengine.runner import Runner

    from mmdet_lite.datasets.synthetic import make_synthetic_dataset
    data = tmp_path / 'data'
    make_synthetic_dataset(str(data), num_train=8, num_val=2, seed=1)
    victim = sorted((data / 'images' / 'train').glob('*.jpg'))[3]
    corrupt(str(victim), 'garbage')
    cfg = Config.fromfile(
        osp.join(repo_root, 'configs/mobile_centernet/mcn_hrnet-w16_synthetic.py'))
    cfg.work_dir = str(tmp_path / 'wd')
    cfg.train_dataloader.dataset.data_root = str(data) + '/'
    cfg.train_dataloader.dataset.max_unreadable = 0.2
    cfg.train_dataloader.update(batch_size=4, num_workers=0, persistent_workers=False)
    cfg.train_cfg.update(max_epochs=1, val_interval=10)
    cfg.val_dataloader = cfg.val_evaluator = cfg.val_cfg = None
    cfg.test_dataloader = cfg.test_evaluator = cfg.test_cfg = None
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=10)
    cfg.default_hooks.logger.interval = 1
    runner = Runner.from_cfg(cfg)
    runner.train()
    log = open(runner.logger.handlers[-1].baseFilename).read()
    assert f"1 unreadable training image(s) skipped and replaced by others: ['{victim}']" in log
