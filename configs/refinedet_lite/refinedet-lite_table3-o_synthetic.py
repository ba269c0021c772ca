# RefineDetLite Table 3 row (o) on the built-in synthetic benchmark: RefineDetLite++: every strategy, the advanced configuration (paper, COCO: 29.6 AP).
_base_ = './refinedet-lite-pp_res2netlite72_synthetic.py'
