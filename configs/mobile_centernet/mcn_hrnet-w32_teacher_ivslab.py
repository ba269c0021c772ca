# Mobile CenterNet teacher, HRNet-W32, head conv 64; ivslab fine-tuning from the BDD100K (ivslab classes) pre-training, Sec. 4.1.
_base_ = [
    '../_base_/models/mcn_hrnet-w32.py', '../_base_/datasets/ivslab.py',
    '../_base_/schedules/mcn_adam_60e.py', '../_base_/default_runtime.py'
]
model = dict(bbox_head=dict(num_classes=4))
load_from = 'work_dirs/mcn_hrnet-w32_teacher_bdd100k-ivslab/epoch_60.pth'
