# Attention-guided KD teacher (Sec. 3.1, Table 1): SSD300 with the full VGG16, ImageNet-initialised
# (open-mmlab://vgg16_caffe), VOC07+12 trainval, VOC07 test; mmdet's own SSD300 VOC recipe.
_base_ = 'mmdet::pascal_voc/ssd300_voc0712.py'
custom_imports = dict(imports=['mmdet_lite'], allow_failed_imports=False)
default_hooks = dict(checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=3,
                                     save_best='pascal_voc/mAP', rule='greater'))
