# + structured knowledge distillation from the W32 teacher, Eq. (8)-(11) (Table 2 row
# 'HRNet-W16 + CBFL + KD'): lambda_pi 0.1 on the heatmaps, lambda_pa 10 on the stage-4
# highest-resolution feature, at full resolution. Train the teacher config first.
_base_ = './mcn_hrnet-w16_cbfl_synthetic.py'
model = dict(
    type='StructuredKDDistiller',
    teacher=dict(config='configs/mobile_centernet/mcn_hrnet-w32_teacher_synthetic.py',
                 checkpoint=('{{ fileDirname }}/../../work_dirs/'
                             'mcn_hrnet-w32_teacher_synthetic/epoch_3.pth')),
    loss_pixel=dict(type='PixelwiseKLLoss', tau=1.0, loss_weight=0.1),
    loss_pair=dict(type='PairwiseSimilarityLoss', loss_weight=10.0))
custom_hooks = _base_.custom_hooks + [dict(type='DistillerHook')]
