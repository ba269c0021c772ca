# Table 2 row 5 with the LD term normalised per positive (ld_norm='positives'): the KL summed
# over the bins, divided by the positives' score-weight sum like GIoU and DFL, so its weight no
# longer depends on the batch (8 images here, 2 per GPU in the reference) or the bin count
# (8 here, 17 there). loss_weight 0.25 then puts LD on DFL's scale. Not the official LD code's
# normalisation (row 5 keeps that one): the issue-20 ablation compares the two.
_base_ = './effnet-gfl_row5_lite1-416-silu-gflv2-amp-sparse24-ld_synthetic.py'
model = dict(bbox_head=dict(ld_norm='positives'))
