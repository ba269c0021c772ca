# RefineDetLite Table 3 row (i) on the built-in synthetic benchmark: (h) + dataset-aware class weights, Eq. (5) (paper, COCO: 28.5 AP).
_base_ = './refinedet-lite_res2netlite72_softnms-giou_synthetic.py'
model = dict(bbox_head=dict(loss_odm_cls=dict(class_weights='auto')))
custom_hooks = [dict(type='ClassBalancedWeightsHook', W=10.0, gamma=0.75)]
