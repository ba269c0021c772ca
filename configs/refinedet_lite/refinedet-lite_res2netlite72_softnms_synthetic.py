# RefineDetLite Table 3 row (d) on the built-in synthetic benchmark: (c) + soft-NMS (paper, COCO: 27.2 AP).
_base_ = './refinedet-lite_res2netlite72_synthetic.py'
model = dict(test_cfg=dict(nms=dict(_delete_=True, type='soft_nms', iou_threshold=0.45,
                                    sigma=0.5, method='gaussian', min_score=0.001)))
