# BDD100K detection, 10 classes, converted with
#   python tools/bdd100k_to_coco.py det_train.json data/bdd100k/annotations/det_train_coco.json \
#       --mode bdd10   (and the same for det_val.json)
_base_ = './driving_576x320.py'

data_root = 'data/bdd100k/'
metainfo = dict(classes=('pedestrian', 'rider', 'car', 'truck', 'bus', 'train', 'motorcycle',
                         'bicycle', 'traffic light', 'traffic sign'))
train_dataloader = dict(dataset=dict(
    data_root=data_root, metainfo=metainfo, ann_file='annotations/det_train_coco.json',
    data_prefix=dict(img='images/100k/train/')))
val_dataloader = dict(dataset=dict(
    data_root=data_root, metainfo=metainfo, ann_file='annotations/det_val_coco.json',
    data_prefix=dict(img='images/100k/val/')))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + 'annotations/det_val_coco.json')
test_evaluator = val_evaluator
