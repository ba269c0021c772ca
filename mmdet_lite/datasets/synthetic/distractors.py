"""Distractor sprites of the synthetic road scenes: drawn like the objects but never annotated
(poles, cones, bollards, crates, bushes, rings, signboards, trees)."""

from __future__ import annotations

import numpy as np

from .sprites import _PALETTE, _SIGN_COLORS, _color, _grey, _Pen, _scaled, _Sprite, _uniform


def _pole(rng: np.random.Generator, s: float) -> _Sprite:
    h, t = _uniform(rng, 2.5, 5.0), _uniform(rng, 0.07, 0.15)
    pen = _Pen(s, 2.2, h + 0.5)
    pen.rect(-t / 2, -h, t / 2, 0, _grey(rng, 60, 170) if rng.random() < 0.7 else _color(rng))
    kind = rng.integers(5)
    size = _uniform(rng, 0.5, 0.8)
    c, top = _color(rng, _SIGN_COLORS, 15), (0.0, -h + size / 2)
    if kind == 0:
        pen.circle(top, size / 2, c)
        pen.circle(top, size / 2.6, _color(rng, _SIGN_COLORS, 15))
    elif kind == 1:
        pen.poly([(-size / 2, -h + size), (size / 2, -h + size), (0, -h)], c)
    elif kind == 2:
        pen.rect(-size / 2, -h, size / 2, -h + 0.7 * size, c)
    elif kind == 3:  # street light arm
        pen.line((0, -h), (0.9, -h - 0.3), _grey(rng, 60, 150), t * 0.8)
    return pen.finish(rng, 0.2, flip=bool(rng.random() < 0.5))


def _cone(rng: np.random.Generator, s: float) -> _Sprite:
    h = _uniform(rng, 0.45, 0.9)
    pen = _Pen(s, 0.6, h)
    c = _color(rng, _PALETTE[[4, 6, 8]], 15) if rng.random() < 0.7 else _color(rng)
    pen.poly([(-0.22, 0), (0.22, 0), (0.04, -h), (-0.04, -h)], c)
    pen.rect(-0.14, -0.6 * h, 0.14, -0.45 * h, _grey(rng, 200, 250))
    return pen.finish(rng, 0.25)


def _bollard(rng: np.random.Generator, s: float) -> _Sprite:
    h, t = _uniform(rng, 0.6, 1.3), _uniform(rng, 0.15, 0.35)
    pen = _Pen(s, 0.8, h + t)
    c = _color(rng)
    pen.rect(-t / 2, -h, t / 2, 0, c)
    pen.circle((0, -h), t * _uniform(rng, 0.5, 0.8), c if rng.random() < 0.5 else _color(rng))
    return pen.finish(rng, 0.3)


def _crate(rng: np.random.Generator, s: float) -> _Sprite:
    h, w = _uniform(rng, 0.4, 2.5), _uniform(rng, 0.4, 3.5)
    pen = _Pen(s, w, h)
    c = _color(rng)
    pen.rect(-w / 2, -h, w / 2, 0, c)
    if rng.random() < 0.5:  # a logo band; kept off the top so it never reads as a windscreen
        y0 = -h * _uniform(rng, 0.45, 0.65)
        pen.rect(-w * 0.42, y0, w * 0.42, y0 + h * 0.25, _scaled(_color(rng), 0.7))
    for _ in range(int(rng.integers(0, 4))):
        x = _uniform(rng, -w / 2, w / 2)
        pen.line((x, -h), (x, 0), _scaled(c, 0.6), 0.04)
    return pen.finish(rng, w / 2)


def _bush(rng: np.random.Generator, s: float) -> _Sprite:
    r = _uniform(rng, 0.3, 1.5)
    pen = _Pen(s, 2.6 * r, 2.3 * r)
    n = int(rng.integers(9, 16))
    ang = np.linspace(0, 2 * np.pi, n, endpoint=False) + rng.uniform(0, 2 * np.pi / n)
    rad = r * rng.uniform(0.75, 1.05, n)
    flat = _uniform(rng, 0.6, 1.0)
    pts = np.stack([np.cos(ang) * rad, np.minimum(-flat * r - np.sin(ang) * rad * flat, 0)], 1)
    green = _PALETTE[[7, 9, 12]]
    pen.poly(pts.tolist(), _color(rng, green, 25) if rng.random() < 0.7 else _color(rng))
    return pen.finish(rng, r)


def _rings(rng: np.random.Generator, s: float) -> _Sprite:
    """Lone tyres, ring pairs too far apart or of different sizes, rings on a stand."""
    r = _uniform(rng, 0.2, 0.45)
    t = _uniform(rng, 0.035, 0.1)
    c = _grey(rng, 15, 70) if rng.random() < 0.6 else _color(rng)
    kind = rng.integers(4)
    if kind == 0:
        centers, radii = [(0.0, -r)], [r]
    elif kind == 1:
        gap = _uniform(rng, 5.0, 8.0) * r
        centers, radii = [(-gap / 2, -r), (gap / 2, -r)], [r, r]
    elif kind == 2:
        r2 = r * _uniform(rng, 0.35, 0.6)
        centers, radii = [(-1.6 * r, -r), (1.6 * r, -r2)], [r, r2]
    else:
        centers, radii = [(0.0, -1.2 - r)], [r]
    width = max(abs(cx) + rr for (cx, _), rr in zip(centers, radii, strict=True)) * 2 + 0.1
    height = max(-cy + rr for (_, cy), rr in zip(centers, radii, strict=True)) + 0.05
    pen = _Pen(s, width, height)
    if kind == 3:
        pen.line((0, 0), (0, -1.2), _grey(rng, 60, 170), 0.06)
    for ctr, rr in zip(centers, radii, strict=True):
        pen.circle(ctr, rr - t / 2, c, t)
    return pen.finish(rng, width / 2)


def _signboard(rng: np.random.Generator, s: float) -> _Sprite:
    w, bh, leg = _uniform(rng, 0.6, 2.2), _uniform(rng, 0.4, 1.2), _uniform(rng, 0.5, 2.0)
    pen = _Pen(s, w, bh + leg)
    legc = _grey(rng, 50, 160)
    for x in (-0.35 * w, 0.35 * w):
        pen.line((x, 0), (x, -leg), legc, 0.05)
    pen.rect(-w / 2, -leg - bh, w / 2, -leg, _color(rng))
    pen.rect(-w / 3, -leg - 0.7 * bh, w / 3, -leg - 0.3 * bh, _color(rng))
    return pen.finish(rng, w / 2)


def _tree(rng: np.random.Generator, s: float) -> _Sprite:
    h, r = _uniform(rng, 2.5, 6.0), _uniform(rng, 0.8, 2.0)
    pen = _Pen(s, 2.8 * r, h + 1.2 * r)
    pen.rect(-0.12, -h, 0.12, 0, _color(rng, _PALETTE[[9]], 20))
    green = _PALETTE[[7, 12]]
    for _ in range(int(rng.integers(2, 5))):
        c = (_uniform(rng, -0.5, 0.5) * r, -h + _uniform(rng, -0.4, 0.2) * r)
        pen.ellipse(
            c, (r * _uniform(rng, 0.5, 0.8), r * _uniform(rng, 0.4, 0.7)), 0, _color(rng, green, 25)
        )
    return pen.finish(rng, 0.6 * r)


_DISTRACTOR_FNS = (_pole, _cone, _bollard, _crate, _bush, _rings, _signboard, _tree)
_DISTRACTOR_P = np.array([0.17, 0.08, 0.12, 0.16, 0.12, 0.15, 0.08, 0.12])
