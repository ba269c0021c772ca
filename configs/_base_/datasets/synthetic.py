# Built-in synthetic road-scene benchmark (python tools/make_synthetic.py --out data/synthetic):
# 576x320 images, the 4 ivslab classes with a long-tailed frequency.
_base_ = './driving_576x320.py'

data_root = 'data/synthetic/'
metainfo = dict(classes=('vehicle', 'pedestrian', 'scooter', 'bicycle'))
train_dataloader = dict(dataset=dict(
    data_root=data_root, metainfo=metainfo, ann_file='annotations/instances_train.json',
    data_prefix=dict(img='images/train/')))
val_dataloader = dict(dataset=dict(
    data_root=data_root, metainfo=metainfo, ann_file='annotations/instances_val.json',
    data_prefix=dict(img='images/val/')))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + 'annotations/instances_val.json')
test_evaluator = val_evaluator
