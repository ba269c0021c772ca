# + category-balanced focal loss, Eq. (3) as printed: the class weight w_c scales every pixel of
# class c's heatmap channel, negatives included (the default, mcn_hrnet-w16_cbfl_synthetic.py,
# weights the positive term only: the background weight 1 of [24], RefineDetLite Eq. 5).
_base_ = './mcn_hrnet-w16_cbfl_synthetic.py'
model = dict(bbox_head=dict(loss_center_heatmap=dict(weight_negatives=True)))
