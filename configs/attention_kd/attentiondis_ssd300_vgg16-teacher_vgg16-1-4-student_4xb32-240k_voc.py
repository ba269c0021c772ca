# + attention-guided distillation from the VGG16 teacher (Table 1 'AttentionDis', Eq. 1-5):
# w_max 15, alpha 0.05, beta 2, lambda_1 1, every prediction layer guided.
# Data: PASCAL VOC 07+12 trainval, VOC07 test in data/VOCdevkit/ (mmdet's layout).
# Schedule: 240k iterations, SGD lr 0.008, linear warm-up over 5k iterations, /10 at 180k, 220k.
# Paper: 69.48 mAP on VOC2007 test (Table 1).
# Trained on 4 GPUs x 32 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 4`; with another total batch, add --auto-scale-lr.
_base_ = './ssd300_vgg16-1-4_4xb32-240k_voc.py'
# The teacher's weights: its config's default work dir when trained from the repository root
# (found from any cwd), or give them: --cfg-options model.teacher.checkpoint=PATH.
teacher_checkpoint = ('{{ fileDirname }}/../../work_dirs/'
                      'ssd300_vgg16_teacher_8xb8-24e_voc/epoch_24.pth')
model = dict(
    type='AttentionDistiller',
    teacher=dict(config='configs/attention_kd/ssd300_vgg16_teacher_8xb8-24e_voc.py',
                 checkpoint=teacher_checkpoint),
    attention=True, w_max=15.0, alpha=0.05, beta=2.0,
    loss_distill=dict(type='AttentionImitationLoss', loss_weight=1.0))
# DistillerHook: the teacher's classes against the training set's; the adaptation layers stay
# out of the checkpoints' state_dict, which loads into the plain student
custom_hooks = [
    dict(type='NumClassCheckHook'),
    dict(type='CheckInvalidLossHook', interval=50, priority='VERY_LOW'),
    dict(type='DistillerHook')
]
