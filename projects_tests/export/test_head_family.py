"""One table says how each head family exports; subclasses are found through their bases."""

import pytest
import torch.nn as nn
from mmdet.models.dense_heads import CenterNetHead, GFLHead, LDHead, RetinaHead, SSDHead

from mmdet_lite.export import (
    AnchorEnd2End,
    CenterNetEnd2End,
    ExportError,
    head_family,
    model_stride,
)
from mmdet_lite.export.head_family import (
    CenterNetFamily,
    CenterNetHRNetFamily,
    GFLFamily,
    GFLv2Family,
    RefineDetFamily,
    SSDFamily,
)
from mmdet_lite.models.dense_heads import (
    CenterNetHRNetHead,
    GFLv2Head,
    GFLv2LDHead,
    RefineDetLiteHead,
)


def bare(cls):
    """An instance of ``cls`` without running its constructor (only its type is looked at)."""
    return cls.__new__(cls)


@pytest.mark.parametrize('cls, family, wrapper', [
    (CenterNetHead, CenterNetFamily, CenterNetEnd2End),
    (CenterNetHRNetHead, CenterNetHRNetFamily, CenterNetEnd2End),
    (SSDHead, SSDFamily, AnchorEnd2End),
    (RefineDetLiteHead, RefineDetFamily, AnchorEnd2End),
    (GFLHead, GFLFamily, AnchorEnd2End),
    (GFLv2Head, GFLv2Family, AnchorEnd2End),
    (GFLv2LDHead, GFLv2Family, AnchorEnd2End),
    (LDHead, GFLFamily, AnchorEnd2End),
])
def test_family_of_each_head(cls, family, wrapper):
    got = head_family(bare(cls))
    assert type(got) is family and got.wrapper is wrapper


def test_unknown_head_is_refused_with_the_list():
    with pytest.raises(ExportError, match='RetinaHead yet.*CenterNetHead, SSDHead, '
                                          'RefineDetLiteHead, GFLHead.*head_family.py'):
        head_family(bare(RetinaHead))


def test_model_stride_by_family():
    class Det(nn.Module):
        def __init__(self, head, extra=None, divisor=1):
            super().__init__()
            self.bbox_head = bare(head)
            self.backbone = nn.Module()
            self.backbone.extra = extra
            self.data_preprocessor = nn.Module()
            self.data_preprocessor.pad_size_divisor = divisor

    hrnet = dict(stage4=dict(num_channels=(16, 32, 64, 128)))
    assert model_stride(Det(SSDHead)) == 1  # anchors on whatever maps the input gives
    assert model_stride(Det(RefineDetLiteHead, hrnet)) == 1
    assert model_stride(Det(CenterNetHRNetHead, hrnet)) == 32  # 4x stem, 3 halvings
    assert model_stride(Det(CenterNetHRNetHead, dict(stage4=dict(num_channels=(8, 16))))) == 8
    assert model_stride(Det(GFLv2Head)) == 32
    assert model_stride(Det(GFLv2Head, divisor=64)) == 64
