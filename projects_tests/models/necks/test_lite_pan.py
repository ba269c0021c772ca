"""LitePAN: top-down then bottom-up resize-and-add, on a hand case and against a naive version."""

import torch
import torch.nn.functional as F

import mmdet_lite  # noqa: F401
from mmdet_lite.models.necks import LitePAN


def identity_pan(channels=4):
    pan = LitePAN([channels] * 3, channels)
    for conv in pan.lateral_convs:
        torch.nn.init.eye_(conv.conv.weight.view(channels, channels))
        torch.nn.init.zeros_(conv.conv.bias)
    return pan


def test_constant_maps_hand_case():
    # laterals are identities; levels hold constants a, b, c. Top-down: l3 = c, l2 = b + c,
    # l1 = a + b + c. Bottom-up: o1 = l1, o2 = l2 + o1 = a + 2b + 2c, o3 = l3 + o2 = a + 2b + 3c.
    a, b, c = 1.0, 10.0, 100.0
    feats = (torch.full((1, 4, 13, 16), a), torch.full((1, 4, 7, 8), b),
             torch.full((1, 4, 4, 4), c))
    o1, o2, o3 = identity_pan()(feats)
    assert torch.allclose(o1, torch.full_like(o1, a + b + c))
    assert torch.allclose(o2, torch.full_like(o2, a + 2 * b + 2 * c))
    assert torch.allclose(o3, torch.full_like(o3, a + 2 * b + 3 * c))
    assert [o.shape[-2:] for o in (o1, o2, o3)] == [f.shape[-2:] for f in feats]


def test_random_inputs_against_naive():
    torch.manual_seed(0)
    pan = LitePAN([8, 16, 32], 12).eval()
    feats = (torch.randn(2, 8, 52, 52), torch.randn(2, 16, 26, 26), torch.randn(2, 32, 13, 13))
    lat = [F.conv2d(x, m.conv.weight, m.conv.bias) for x, m in zip(feats, pan.lateral_convs,
                                                                     strict=True)]

    def rs(x, like):
        return F.interpolate(x, size=like.shape[-2:], mode='bilinear', align_corners=False)

    p3 = lat[2]
    p2 = lat[1] + rs(p3, lat[1])
    p1 = lat[0] + rs(p2, lat[0])
    n1 = p1
    n2 = p2 + rs(n1, p2)
    n3 = p3 + rs(n2, p3)
    for got, want in zip(pan(feats), (n1, n2, n3), strict=True):
        assert torch.allclose(got, want, atol=1e-5)
    assert sum(p.numel() for p in pan.parameters()) == (8 + 16 + 32) * 12 + 3 * 12
