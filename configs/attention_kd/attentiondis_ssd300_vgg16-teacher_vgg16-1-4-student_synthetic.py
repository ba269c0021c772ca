# + attention-guided distillation (Eq. 1-5, paper hyper-parameters) from the synthetic VGG16
# teacher. Train the teacher config first.
_base_ = './ssd300_vgg16-1-4_synthetic.py'
model = dict(
    type='AttentionDistiller',
    teacher=dict(config='configs/attention_kd/ssd300_vgg16_teacher_synthetic.py',
                 checkpoint=('{{ fileDirname }}/../../work_dirs/'
                             'ssd300_vgg16_teacher_synthetic/epoch_4.pth')),
    attention=True, w_max=15.0, alpha=0.05, beta=2.0,
    loss_distill=dict(type='AttentionImitationLoss', loss_weight=1.0))
# the teacher's classes against the training set's; the adaptation layers out of the state_dict
custom_hooks = [dict(type='DistillerHook')]
