# RefineDetLite Table 3 row (a) on the built-in synthetic benchmark: Baseline: ResNet bottleneck blocks instead of Res2Blocks, 3x3 convs instead of Light-heads (paper, COCO: 24.7 AP).
_base_ = './refinedet-lite_res2netlite72_synthetic.py'
model = dict(backbone=dict(block='res'), bbox_head=dict(head='conv3x3'))
