# ivslab (ICME 2020 embedded detection competition), 4 classes, in COCO format under
# data/ivslab/: annotations/ivslab_train.json (one frame in ten, Sec. 4.1) and ivslab_test.json.
_base_ = './driving_576x320.py'

data_root = 'data/ivslab/'
metainfo = dict(classes=('vehicle', 'pedestrian', 'scooter', 'bicycle'))
train_dataloader = dict(dataset=dict(
    data_root=data_root, metainfo=metainfo, ann_file='annotations/ivslab_train.json',
    data_prefix=dict(img='images/train/')))
val_dataloader = dict(dataset=dict(
    data_root=data_root, metainfo=metainfo, ann_file='annotations/ivslab_test.json',
    data_prefix=dict(img='images/test/')))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + 'annotations/ivslab_test.json')
test_evaluator = val_evaluator
