# AttentionDis with the maps normalised over their covered cells and lambda_1 = 15 instead of 1
# (two departures): at lambda_1 1 the normalised loss runs at 0.05-0.09 of SimpleDis's through
# the 4 epochs (seed-0 training logs), so 15 puts the attention-weighted imitation at SimpleDis's
# strength for the whole run. Eq. (5) as printed cannot be matched by one lambda_1: its Eq. (1)
# weights fall with the student's per-sample losses, 200x within the first 100 iterations.
_base_ = './attentiondis-norm_ssd300_vgg16-teacher_vgg16-1-8-student_synthetic.py'
model = dict(loss_distill=dict(loss_weight=15.0))
