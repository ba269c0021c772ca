# AttentionDis, Eq. (5) as printed, with lambda_1 = 160 instead of the paper's 1 (a departure):
# at the student's initial weights the printed loss is 0.0126 against SimpleDis's 2.0
# (tools/analyze_loss_gradients.py, 4 batches), so 160 starts it at SimpleDis's scale and the
# comparison is attention-weighted against uniform imitation at equal strength.
_base_ = './attentiondis_ssd300_vgg16-teacher_vgg16-1-8-student_synthetic.py'
model = dict(loss_distill=dict(loss_weight=160.0))
