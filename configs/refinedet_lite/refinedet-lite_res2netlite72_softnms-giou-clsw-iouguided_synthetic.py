# RefineDetLite Table 3 row (l) on the built-in synthetic benchmark: (h) + class weights + IoU-guided loss, where the two
# meet in Eq. (2) (paper, COCO: 29.0 AP).
_base_ = './refinedet-lite_res2netlite72_softnms-giou-clsw_synthetic.py'
model = dict(bbox_head=dict(loss_odm_cls=dict(iou_guided=True, alpha=0.25, beta=0.9)))
