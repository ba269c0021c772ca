# 1/2 MobileNet SSD student on the synthetic benchmark: strides 8, 16, 32 plus two extra layers
# give the teacher's 5 maps.
_base_ = './ssd300_vgg16-1-8_synthetic.py'
channels = (128, 256, 512, 256, 128)
model = dict(
    backbone=dict(_delete_=True, type='MobileNetV1', widen_factor=1 / 2, out_indices=(4, 10, 12)),
    neck=dict(in_channels=channels[:3], out_channels=channels, level_strides=(2, 2),
              level_paddings=(1, 1), l2_norm_scale=None),
    bbox_head=dict(in_channels=channels))
