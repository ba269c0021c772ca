# Diagnostic row (not in Table 2): the KD row without the pair-wise term (pixel-wise KD only,
# lambda_pi 0.1), to separate the two distillation terms.
_base_ = './mcn_hrnet-w16_cbfl_kd_synthetic.py'
model = dict(loss_pair=None)
