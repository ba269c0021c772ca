# RefineDetLite Table 3 row (h) on the built-in synthetic benchmark: (d) + GIoU loss (paper, COCO: 28.2 AP).
_base_ = './refinedet-lite_res2netlite72_softnms_synthetic.py'
model = dict(bbox_head=dict(reg_decoded_bbox=True,
                            loss_bbox=dict(_delete_=True, type='GIoULoss', loss_weight=1.0)))
