# Row 5 with LD per positive at loss_weight 1.0 instead of the paper's 0.25 (a departure): at
# 0.25 the per-positive LD falls to about a third of DFL after the first epoch, so this row
# tests whether LD pays once it weighs about as much as DFL.
_base_ = './ld-positives_effnet-gfl_lite3-teacher_lite1-student_row5_synthetic.py'
model = dict(bbox_head=dict(loss_ld=dict(loss_weight=1.0)))
