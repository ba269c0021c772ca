# RefineDetLite Table 3 row (f) on the built-in synthetic benchmark: (d) + IoU-guided loss, Eq. (3)-(4) (paper, COCO: 27.5 AP).
_base_ = './refinedet-lite_res2netlite72_softnms_synthetic.py'
model = dict(bbox_head=dict(loss_odm_cls=dict(iou_guided=True, alpha=0.25, beta=0.9)))
