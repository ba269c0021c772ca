# Diagnostic row (not in Table 2): the KD row with the pair-wise weight lambda_pa 10 -> 1.
# tools/analyze_loss_gradients.py shows the lambda_pa = 10 term pulling on the from-scratch
# W16 backbone as hard as the detection loss (and orthogonally to it); see the README.
_base_ = './kd_mcn_hrnet-w32-teacher_hrnet-w16-student_cbfl_synthetic.py'
model = dict(loss_pair=dict(loss_weight=1.0))
