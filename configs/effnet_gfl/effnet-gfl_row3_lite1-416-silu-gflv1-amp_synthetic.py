# Table 2 row 3 on the synthetic benchmark: row 2 with SiLU and mixed precision (bf16 autocast on
# CPU, fp16 AMP on GPU).
_base_ = './effnet-gfl_row2_lite1-416-mish-gflv1_synthetic.py'
model = dict(backbone=dict(act_cfg=dict(type='SiLU')))
optim_wrapper = dict(type='MixedPrecisionOptimWrapper', loss_scale='dynamic')
