# SimpleDis baseline of Table 1: the same imitation loss with A = 1 on every feature cell.
# Data: PASCAL VOC 07+12 trainval, VOC07 test in data/VOCdevkit/ (mmdet's layout).
# Schedule: 240k iterations, SGD lr 0.008, linear warm-up over 5k iterations, /10 at 180k, 220k.
# Paper: 61.32 mAP with a MobileNet teacher (Table 1); none with VGG16.
# Trained on 4 GPUs x 32 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 4`; with another total batch, add --auto-scale-lr.
_base_ = './attentiondis_ssd300_vgg16-teacher_mobilenet-1-2-student_4xb32-240k_voc.py'
model = dict(attention=False)
