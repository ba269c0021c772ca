# Table 2 row 5: row 4 with localization distillation from a larger GFLv2 teacher of the same
# family (paper: 30.7 mAP, 4 M parameters). LD as mmdet's LD configs: KL on the positive
# locations' edge distributions, T = 10, weight 0.25. Train the teacher config first.
# Data: COCO 2017 in data/coco/ (train2017/, val2017/, annotations/instances_{train,val}2017.json).
# Schedule: 280 epochs, SGD lr 0.16, linear warm-up over 500 iterations, /10 at 240, 260, 275
#  epochs.
# Trained on 2 GPUs x 64 images (auto_scale_lr.base_batch_size = 128):
# `bash tools/dist_train.sh CONFIG 2`; with another total batch, add --auto-scale-lr.
_base_ = './effnet-gfl_row4_lite1-416-silu-gflv2-amp-sparse24_2xb64-280e_coco.py'
# The teacher's weights: its config's default work dir when trained from the repository root
# (found from any cwd), or give them: --cfg-options model.teacher.checkpoint=PATH.
teacher_checkpoint = ('{{ fileDirname }}/../../work_dirs/'
                      'effnet-gfl_teacher_lite3-416-silu-gflv2_2xb64-280e_coco/epoch_280.pth')
model = dict(
    type='LocalizationDistiller',
    teacher=dict(config='configs/effnet_gfl/effnet-gfl_teacher_lite3-416-silu-gflv2_2xb64-280e_coco.py',
                 checkpoint=teacher_checkpoint),
    bbox_head=dict(
        type='GFLv2LDHead',
        loss_ld=dict(type='KnowledgeDistillationKLDivLoss', loss_weight=0.25, T=10)))
custom_hooks = _base_.custom_hooks + [dict(type='DistillerHook')]
