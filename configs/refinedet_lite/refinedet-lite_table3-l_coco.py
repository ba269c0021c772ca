# RefineDetLite Table 3 row (l) on COCO: (h) + class weights + IoU-guided loss, where the two
# meet in Eq. (2) (paper, COCO: 29.0 AP).
_base_ = './refinedet-lite_table3-i_coco.py'
model = dict(bbox_head=dict(loss_odm_cls=dict(iou_guided=True, alpha=0.25, beta=0.9)))
