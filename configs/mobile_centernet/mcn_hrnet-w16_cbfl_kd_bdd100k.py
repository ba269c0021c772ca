# + structured knowledge distillation from the W32 teacher, Eq. (8)-(11) (Table 2 row
# 'HRNet-W16 + CBFL + KD'): lambda_pi 0.1 on the heatmaps, lambda_pa 10 on the stage-4
# highest-resolution feature, at full resolution. Train the teacher config first.
# Trained on 2 GPUs x 16 images (auto_scale_lr.base_batch_size = 32):
# `bash tools/dist_train.sh CONFIG 2`; with another total batch, add --auto-scale-lr.
_base_ = './mcn_hrnet-w16_cbfl_bdd100k.py'
# The teacher's weights: its config's default work dir when trained from the repository root
# (found from any cwd), or give them: --cfg-options model.teacher.checkpoint=PATH.
teacher_checkpoint = ('{{ fileDirname }}/../../work_dirs/'
                      'mcn_hrnet-w32_teacher_bdd100k/epoch_60.pth')
model = dict(
    type='StructuredKDDistiller',
    teacher=dict(config='configs/mobile_centernet/mcn_hrnet-w32_teacher_bdd100k.py',
                 checkpoint=teacher_checkpoint),
    loss_pixel=dict(type='PixelwiseKLLoss', tau=1.0, loss_weight=0.1),
    loss_pair=dict(type='PairwiseSimilarityLoss', loss_weight=10.0))
custom_hooks = _base_.custom_hooks + [dict(type='DistillerHook')]
