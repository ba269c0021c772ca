# Table 2 row 5 on the synthetic benchmark: row 4 with localization distillation from the
# synthetic teacher (train effnet-gfl_teacher_lite3-416-silu-gflv2_synthetic.py first).
_base_ = './effnet-gfl_row4_lite1-416-silu-gflv2-amp-sparse24_synthetic.py'
model = dict(
    type='LocalizationDistiller',
    teacher=dict(
        config='configs/effnet_gfl/effnet-gfl_teacher_lite3-416-silu-gflv2_synthetic.py',
        checkpoint=('{{ fileDirname }}/../../work_dirs/'
                    'effnet-gfl_teacher_lite3-416-silu-gflv2_synthetic/epoch_4.pth')),
    bbox_head=dict(
        type='GFLv2LDHead',
        loss_ld=dict(type='KnowledgeDistillationKLDivLoss', loss_weight=0.25, T=10)))
custom_hooks = _base_.custom_hooks + [dict(type='DistillerHook')]
