# AttentionDis with each attention map normalised to mean 1 over its covered cells
# (attention_norm='covered_mean'): a departure from Eq. (5), which squares Eq. (1) weights of
# 0.02-0.25 and so scales imitation to ~1e-5 of SimpleDis's (see AttentionImitationLoss).
_base_ = './attentiondis_ssd300_vgg16-teacher_vgg16-1-8-student_synthetic.py'
model = dict(loss_distill=dict(attention_norm='covered_mean'))
