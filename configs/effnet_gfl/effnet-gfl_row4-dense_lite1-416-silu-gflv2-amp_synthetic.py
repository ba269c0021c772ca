# Row 4 without 2:4 sparsity (not a Table 2 row): isolates the accuracy cost of the sparsity.
_base_ = './effnet-gfl_row4_lite1-416-silu-gflv2-amp-sparse24_synthetic.py'
custom_hooks = []
