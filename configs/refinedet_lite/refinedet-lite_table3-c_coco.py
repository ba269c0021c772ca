# RefineDetLite Table 3 row (c) on COCO: RefineDetLite: Res2Blocks + Light-heads, the basic configuration (paper, COCO: 26.8 AP).
_base_ = './refinedet-lite_res2netlite72_coco.py'
