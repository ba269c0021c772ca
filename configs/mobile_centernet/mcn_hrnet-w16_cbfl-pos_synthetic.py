# + category-balanced focal loss, second reading of Eq. (3): the class weight w_c scales the
# positive term only, negatives keep weight 1 (the background weight of [24], RefineDetLite Eq. 5).
_base_ = './mcn_hrnet-w16_cbfl_synthetic.py'
model = dict(bbox_head=dict(loss_center_heatmap=dict(weight_negatives=False)))
