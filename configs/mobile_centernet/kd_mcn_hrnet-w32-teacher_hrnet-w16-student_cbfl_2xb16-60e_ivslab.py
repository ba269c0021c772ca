# + structured knowledge distillation from the W32 teacher, Eq. (8)-(11) (Table 2 row
# 'HRNet-W16 + CBFL + KD'): lambda_pi 0.1 on the heatmaps, lambda_pa 10 on the stage-4
# highest-resolution feature, at full resolution. Train the teacher config first.
# Data: ivslab in data/ivslab/ (from the organisers; annotations by tools/ivslab_split.py, see
#  _base_/datasets/ivslab.py).
# Schedule: 60 epochs, Adam lr 0.001, linear warm-up over 500 iterations, /10 at 45, 55 epochs.
# Paper: 44.60 mAP@0.5 on the ivslab test set (Table 1, the competition system).
# Trained on 2 GPUs x 16 images (auto_scale_lr.base_batch_size = 32):
# `bash tools/dist_train.sh CONFIG 2`; with another total batch, add --auto-scale-lr.
_base_ = './mcn_hrnet-w16_cbfl_2xb16-60e_ivslab.py'
# The teacher's weights: its config's default work dir when trained from the repository root
# (found from any cwd), or give them: --cfg-options model.teacher.checkpoint=PATH.
teacher_checkpoint = ('{{ fileDirname }}/../../work_dirs/'
                      'mcn_hrnet-w32_teacher_2xb16-60e_ivslab/epoch_60.pth')
model = dict(
    type='StructuredKDDistiller',
    teacher=dict(config='configs/mobile_centernet/mcn_hrnet-w32_teacher_2xb16-60e_ivslab.py',
                 checkpoint=teacher_checkpoint),
    loss_pixel=dict(type='PixelwiseKLLoss', tau=1.0, loss_weight=0.1),
    loss_pair=dict(type='PairwiseSimilarityLoss', loss_weight=10.0))
load_from = 'work_dirs/kd_mcn_hrnet-w32-teacher_hrnet-w16-student_cbfl_2xb16-60e_bdd100k-ivslab/epoch_60.pth'
custom_hooks = _base_.custom_hooks + [dict(type='DistillerHook')]
