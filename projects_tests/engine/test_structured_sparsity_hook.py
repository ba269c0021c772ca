"""StructuredSparsityHook in a real mmengine Runner: prunes after the warm-up, stays 2:4 through
further steps, saves the masks and keeps them after resume; the weights reach the checkpoint."""

import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch.utils.data import Dataset

import mmdet_lite  # noqa: F401
from mmdet_lite.engine.hooks import StructuredSparsityHook
from mmdet_lite.utils.nm_sparsity import checkpoint_report, nm_pattern_stats


class ToyNet(BaseModel):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)  # 3 inputs: not eligible
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.dw = nn.Conv2d(16, 16, 3, padding=1, groups=16)  # depthwise: not eligible
        self.fc = nn.Linear(16, 4)

    def forward(self, inputs, labels=None, mode='loss'):
        x = torch.stack(inputs) if isinstance(inputs, list) else inputs
        x = self.dw(torch.relu(self.conv2(torch.relu(self.conv1(x)))))
        out = self.fc(x.mean((2, 3)))
        if mode == 'loss':
            labels = torch.stack(labels) if isinstance(labels, list) else labels
            return dict(loss=nn.functional.cross_entropy(out, labels))
        return out


class ToyData(Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        g = torch.Generator().manual_seed(i)
        return dict(inputs=torch.randn(3, 8, 8, generator=g), labels=torch.tensor(i % 4))


def make_runner(work_dir, max_epochs, resume=False):
    return Runner(
        model=ToyNet(), work_dir=str(work_dir),
        train_dataloader=dict(dataset=ToyData(), batch_size=4, num_workers=0,
                              sampler=dict(type='DefaultSampler', shuffle=False),
                              collate_fn=dict(type='default_collate')),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.9)),
        train_cfg=dict(by_epoch=True, max_epochs=max_epochs),
        default_hooks=dict(checkpoint=dict(type='CheckpointHook', interval=1),
                           logger=dict(type='LoggerHook', interval=1)),
        custom_hooks=[dict(type='StructuredSparsityHook', start_epoch=1)],
        resume=resume, default_scope='mmdet')


def sparse_layers(model):
    return {n: nm_pattern_stats(m.weight) for n, m in model.named_modules()
            if n in ('conv2', 'fc')}


def test_prune_after_warmup_then_stay_sparse_and_resume(tmp_path):
    runner = make_runner(tmp_path, 1)
    runner.train()  # epoch 0: the dense warm-up
    assert all(s == 0.0 for _, s in sparse_layers(runner.model).values())

    runner = make_runner(tmp_path, 3, resume=True)
    runner.train()  # epochs 1-2: pruned at the first iteration of epoch 1, then trained sparse
    hook = next(h for h in runner.hooks if isinstance(h, StructuredSparsityHook))
    assert sorted(hook.masks) == ['conv2', 'fc']
    assert sparse_layers(runner.model) == {'conv2': (1.0, 0.5), 'fc': (1.0, 0.5)}
    assert (runner.model.conv1.weight != 0).all()  # ineligible layers stay dense
    ckpt = torch.load(tmp_path / 'epoch_3.pth', map_location='cpu', weights_only=True)
    assert sorted(ckpt['sparsity_masks']) == ['conv2', 'fc']
    assert all(r['ok'] for r in checkpoint_report(ckpt['state_dict'], ckpt['sparsity_masks']))
    masks = {k: v.clone() for k, v in hook.masks.items()}

    # resume for two more epochs: the same masks, and the weights stay on them
    runner = make_runner(tmp_path, 5, resume=True)
    runner.train()
    hook = next(h for h in runner.hooks if isinstance(h, StructuredSparsityHook))
    assert all(torch.equal(hook.masks[k].cpu(), masks[k]) for k in masks)
    weights = dict(runner.model.named_modules())
    for k, mask in masks.items():
        assert not weights[k].weight[~mask].any()  # pruned weights still exactly zero
        assert weights[k].weight[mask].abs().min() > 0
