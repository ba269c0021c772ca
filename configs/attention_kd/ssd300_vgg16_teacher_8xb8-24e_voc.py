# Attention-guided KD teacher (Sec. 3.1, Table 1): SSD300 with the full VGG16, ImageNet-initialised
# (open-mmlab://vgg16_caffe), VOC07+12 trainval, VOC07 test; mmdet's own SSD300 VOC recipe.
# Data: PASCAL VOC 07+12 trainval, VOC07 test in data/VOCdevkit/ (mmdet's layout).
# Schedule: 24 epochs, SGD lr 0.001, linear warm-up over 500 iterations, /10 at 16, 20 epochs.
# Paper: 77.85 mAP on VOC2007 test (Table 1).
# Trained on 8 GPUs x 8 images (auto_scale_lr.base_batch_size = 64):
# `bash tools/dist_train.sh CONFIG 8`; with another total batch, add --auto-scale-lr.
_base_ = 'mmdet::pascal_voc/ssd300_voc0712.py'
custom_imports = dict(imports=['mmdet_lite'], allow_failed_imports=False)
default_hooks = dict(checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=3,
                                     save_best='pascal_voc/mAP', rule='greater'))
