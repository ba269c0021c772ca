# ivslab (ICME 2020 embedded object detection competition), 4 classes, COCO format under
# data/ivslab/. The data comes from the competition's organisers (not downloadable here). Layout:
#   images/train/...  images/test/...
#   annotations/ivslab_train.json, ivslab_val.json   <- python tools/ivslab_split.py ALL.json \
#                                                        data/ivslab/annotations  (one frame in
#                                                        ten, Sec. 4.1; a held-out val share)
#   annotations/ivslab_test.json                     <- the 2,700 annotated test images
# Validation (and so save_best) uses ivslab_val.json, frames of the training split; the test
# split is only for tools/test.py.
_base_ = './driving_576x320.py'

data_root = 'data/ivslab/'
metainfo = dict(classes=('vehicle', 'pedestrian', 'scooter', 'bicycle'))
train_dataloader = dict(dataset=dict(
    data_root=data_root, metainfo=metainfo, ann_file='annotations/ivslab_train.json',
    data_prefix=dict(img='images/train/')))
val_dataloader = dict(dataset=dict(
    data_root=data_root, metainfo=metainfo, ann_file='annotations/ivslab_val.json',
    data_prefix=dict(img='images/train/')))
test_dataloader = dict(dataset=dict(
    data_root=data_root, metainfo=metainfo, ann_file='annotations/ivslab_test.json',
    data_prefix=dict(img='images/test/')))
val_evaluator = dict(ann_file=data_root + 'annotations/ivslab_val.json')
test_evaluator = dict(ann_file=data_root + 'annotations/ivslab_test.json')
