"""tools/check_sparsity.py: a 2:4 checkpoint and its ONNX export pass, a dense one fails."""

import os.path as osp
import sys

import torch

import mmdet_lite  # noqa: F401
from mmdet_lite.engine.hooks.structured_sparsity_hook import MASKS_KEY
from mmdet_lite.export import export_onnx, load_detector
from mmdet_lite.utils.nm_sparsity import eligible_layers, nm_mask
from projects_tests.conftest import REPO_ROOT

sys.path.insert(0, osp.join(REPO_ROOT, 'tools'))
import check_sparsity  # noqa: E402

CONFIG = osp.join(REPO_ROOT, 'configs/effnet_gfl/'
                  'effnet-gfl_row4_lite1-416-silu-gflv2-amp-sparse24_synthetic.py')


def test_sparse_checkpoint_and_its_onnx_pass_dense_fails(tmp_path, capsys):
    torch.manual_seed(0)
    det, _ = load_detector(CONFIG, None)
    dense = str(tmp_path / 'dense.pth')
    torch.save(dict(state_dict=det.state_dict()), dense)
    assert check_sparsity.main([dense]) == 1
    masks = {}
    with torch.no_grad():
        for name, mod in eligible_layers(det):
            masks[name] = nm_mask(mod.weight)
            mod.weight.mul_(masks[name])
    sparse = str(tmp_path / 'sparse.pth')
    torch.save({'state_dict': det.state_dict(), MASKS_KEY: masks}, sparse)
    assert check_sparsity.main([sparse]) == 0
    assert f'{len(masks)}/{len(masks)} layers 2:4 sparse' in capsys.readouterr().out

    onnx_file = export_onnx(CONFIG, sparse, (160, 288), str(tmp_path / 'sparse.onnx'))
    assert check_sparsity.main([onnx_file, '--all']) == 0
    out = capsys.readouterr().out
    assert 'layers 2:4 sparse' in out and 'FAIL' not in out
    # the zeros also survive the fp16 export
    fp16 = export_onnx(CONFIG, sparse, (160, 288), str(tmp_path / 'sparse16.onnx'), fp16=True)
    assert check_sparsity.main([fp16]) == 0
