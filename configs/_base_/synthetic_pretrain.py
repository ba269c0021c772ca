# The synthetic backbone pre-training recipe, shared by every `*_pretrain_synthetic.py`: a
# detector from scratch on data/synthetic_pretrain (tools/make_synthetic.py --seed 2026
# --num-train 3000 --num-val 300: a larger, differently seeded split, disjoint from the benchmark)
# in place of ImageNet weights; `tools/publish_checkpoint.py` then keeps its backbone.
# 3000 images at batch 8 are 375 iterations an epoch; the lr warms up over 50 iterations and falls
# /10 at 75 % and 92 % of the iterations, as the quick schedules.
#
# mmengine refuses a key that two bases both set, and the detector config sets the data, model
# and schedule keys, so this base holds those as values under pretrain_* names, which a
# pre-training config listing it after its detector config assigns:
#     _base_ = ['./<detector>_synthetic.py', '../_base_/synthetic_pretrain.py']
#     model = dict(backbone=dict(init_cfg=None))  # from scratch
#     data_root = _base_.pretrain_data_root
#     train_dataloader = val_dataloader = test_dataloader = _base_.pretrain_dataloader
#     val_evaluator = test_evaluator = _base_.pretrain_evaluator
#     max_epochs = 6
#     train_cfg, param_scheduler = _base_.pretrain_6e.train_cfg, _base_.pretrain_6e.param_scheduler
# and sets `randomness` itself (no detector config does), which a config may override.
randomness = dict(seed=20261206)
pretrain_data_root = 'data/synthetic_pretrain/'
pretrain_dataloader = dict(dataset=dict(data_root=pretrain_data_root))
pretrain_evaluator = dict(ann_file=pretrain_data_root + 'annotations/instances_val.json')

# 4 epochs, 1500 iterations (the Mobile CenterNet backbones)
pretrain_4e = dict(
    train_cfg=dict(max_epochs=4, val_interval=4),
    param_scheduler=[
        dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=50),
        dict(type='MultiStepLR', by_epoch=False, begin=0, end=1500, milestones=[1125, 1380],
             gamma=0.1)
    ])
# 6 epochs, 2250 iterations: the budget of the 12-epoch from-scratch rows of the anchor-based
# families (SSD, RefineDetLite, EfficientNet-Lite + GFL)
pretrain_6e = dict(
    train_cfg=dict(max_epochs=6, val_interval=6),
    param_scheduler=[
        dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=50),
        dict(type='MultiStepLR', by_epoch=False, begin=0, end=2250, milestones=[1688, 2070],
             gamma=0.1)
    ])
