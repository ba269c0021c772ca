# Diagnostic row (not in Table 2): the W16 + CBFL config again with a fixed other seed, to
# measure the run-to-run spread of the 3-epoch benchmark (the Table 2 configs set no seed).
_base_ = './mcn_hrnet-w16_cbfl_synthetic.py'
randomness = dict(seed=1)
