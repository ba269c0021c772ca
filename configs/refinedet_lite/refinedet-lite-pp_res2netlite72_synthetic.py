# RefineDetLite++ (Table 3 row (o)) on the built-in synthetic benchmark: the basic synthetic
# config plus the advanced configuration's strategies (see
# refinedet-lite-pp_res2netlite72_4xb32-250e_coco.py); same optimizer and budget as the basic row,
# so the comparison isolates the strategies.
_base_ = './refinedet-lite_res2netlite72_synthetic.py'
model = dict(
    bbox_head=dict(
        reg_decoded_bbox=True, loss_bbox=dict(_delete_=True, type='GIoULoss', loss_weight=1.0),
        loss_odm_cls=dict(iou_guided=True, alpha=0.25, beta=0.9, class_weights='auto'),
        multitask=dict(type='BalancedMultiTaskLoss')),
    test_cfg=dict(nms=dict(_delete_=True, type='soft_nms', iou_threshold=0.45, sigma=0.5,
                           method='gaussian', min_score=0.001)))
custom_hooks = [dict(type='ClassBalancedWeightsHook', W=10.0, gamma=0.75)]
