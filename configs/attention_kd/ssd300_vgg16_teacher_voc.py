# Attention-guided KD teacher (Sec. 3.1, Table 1): SSD300 with the full VGG16, ImageNet-initialised
# (open-mmlab://vgg16_caffe), VOC07+12 trainval, VOC07 test; mmdet's own SSD300 VOC recipe.
# Trained on 8 GPUs x 8 images (auto_scale_lr.base_batch_size = 64):
# `bash tools/dist_train.sh CONFIG 8`; with another total batch, add --auto-scale-lr.
_base_ = 'mmdet::pascal_voc/ssd300_voc0712.py'
custom_imports = dict(imports=['mmdet_lite'], allow_failed_imports=False)
default_hooks = dict(checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=3,
                                     save_best='pascal_voc/mAP', rule='greater'))
