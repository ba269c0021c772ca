# RefineDetLite Table 3 row (b) on COCO: Res2Blocks, 3x3 convs instead of Light-heads (paper, COCO: 25.7 AP).
_base_ = './refinedet-lite_res2netlite72_coco.py'
model = dict(bbox_head=dict(head='conv3x3'))
