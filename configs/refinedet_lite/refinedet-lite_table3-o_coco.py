# RefineDetLite Table 3 row (o) on COCO: RefineDetLite++: every strategy, the advanced configuration (paper, COCO: 29.6 AP).
_base_ = './refinedet-lite-pp_res2netlite72_coco.py'
