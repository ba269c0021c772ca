# Diagnostic row (not in Table 2): the KD row without the pair-wise term (pixel-wise KD only,
# lambda_pi 0.1), to separate the two distillation terms.
_base_ = './kd_mcn_hrnet-w32-teacher_hrnet-w16-student_cbfl_synthetic.py'
model = dict(loss_pair=None)
