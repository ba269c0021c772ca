# BDD100K mapped to the 4 ivslab classes (Mobile CenterNet Sec. 4.1: bus/car/truck -> vehicle,
# person -> pedestrian, bike -> bicycle, motor -> scooter; rider, train, lights, signs dropped):
#   python tools/bdd100k_to_coco.py det_train.json \
#       data/bdd100k/annotations/det_train_ivslab_coco.json --mode ivslab
_base_ = './bdd100k.py'

metainfo = dict(classes=('vehicle', 'pedestrian', 'scooter', 'bicycle'))
train_dataloader = dict(dataset=dict(metainfo=metainfo,
                                     ann_file='annotations/det_train_ivslab_coco.json'))
val_dataloader = dict(dataset=dict(metainfo=metainfo,
                                   ann_file='annotations/det_val_ivslab_coco.json'))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file='data/bdd100k/annotations/det_val_ivslab_coco.json')
test_evaluator = val_evaluator
