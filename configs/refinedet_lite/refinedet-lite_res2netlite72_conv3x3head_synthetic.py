# RefineDetLite Table 3 row (b) on the built-in synthetic benchmark: Res2Blocks, 3x3 convs instead of Light-heads (paper, COCO: 25.7 AP).
_base_ = './refinedet-lite_res2netlite72_synthetic.py'
model = dict(bbox_head=dict(head='conv3x3'))
