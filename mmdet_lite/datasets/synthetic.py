"""Deterministic synthetic road-scene detection benchmark (numpy + OpenCV only).

Every image is rendered from its own ``numpy.random.Generator`` seeded with
``(seed, split, index)``, so the dataset is reproducible byte for byte and can be rendered in
parallel. Scenes have a sky/road background with a horizon and lane markings, objects whose size
follows a simple ground-plane perspective (lower in the image means nearer and larger), drawn
far-to-near so that they occlude each other, un-annotated distractors (poles, signs, boxes, bushes,
lone rings, ...) and global photometric noise.

The four classes share one colour palette, so they can only be told apart by shape and texture:

* vehicle: box-like body with a dark window band and dark wheels (car, van, truck or bus,
  side or rear view),
* pedestrian: tall thin figure (head, torso, arms, two legs),
* scooter: solid low body with two small wheels close together, usually with a seated rider,
* bicycle: two large thin ring wheels joined by a thin see-through frame, sometimes with a rider.

This module must not import torch, mmcv or mmdet.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

import cv2
import numpy as np

__all__ = ['CLASSES', 'make_synthetic_dataset', 'render_image']

CLASSES = ('vehicle', 'pedestrian', 'scooter', 'bicycle')

# Bump whenever the rendering changes: a dataset on disk with another version is regenerated.
GENERATOR_VERSION = 1

_SPLIT_CODES = {'train': 1, 'val': 2}
_IMAGE_NAME = re.compile(r'\d{6,}\.jpg')
_JPEG_QUALITY = (75, 96)

# Sampling weights per class. Thin bicycles and small scooters lose more instances to the
# occlusion filter than vehicles, so the weights are skewed to land near 40:12:4:1 *kept* boxes.
_CLASS_WEIGHTS = np.array([37.0, 11.1, 4.3, 0.98])
_CLASS_WEIGHTS /= _CLASS_WEIGHTS.sum()
_MIN_VISIBLE = 0.3  # objects more than 70% hidden (occluded or outside the image) are dropped
_MIN_BOX = 2  # px, minimum box width and height

# Shared object palette (BGR). Every class draws its main colours from it.
_PALETTE = np.array(
    [
        (30, 30, 30),  # black
        (235, 235, 235),  # white
        (140, 140, 140),  # grey
        (190, 190, 195),  # silver
        (40, 40, 180),  # red
        (160, 70, 30),  # blue
        (40, 180, 225),  # yellow
        (60, 140, 60),  # green
        (30, 120, 235),  # orange
        (40, 70, 110),  # brown
        (90, 35, 20),  # navy
        (45, 25, 110),  # maroon
        (130, 130, 30),  # teal
        (150, 190, 210),  # beige
        (120, 50, 110),  # purple
        (170, 140, 225),  # pink
    ],
    dtype=np.float64,
)
_SKIN = np.array([(125, 165, 215), (95, 135, 185), (65, 95, 145), (45, 65, 105), (150, 185, 230)])
_SIGN_COLORS = np.array(
    [(40, 40, 200), (170, 80, 20), (30, 200, 240), (240, 240, 240), (60, 140, 40)]
)

_SHIFT = 4  # fractional bits for sub-pixel cv2 drawing
_PAD = 2  # px around each sprite so anti-aliased edges are not cut

Color = tuple[float, float, float]
Point = tuple[float, float]


# --------------------------------------------------------------------------------------------
# Small drawing helpers
# --------------------------------------------------------------------------------------------
def _uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(rng.uniform(lo, hi))


def _color(rng: np.random.Generator, palette: np.ndarray = _PALETTE, jitter: float = 20.0) -> Color:
    c = palette[rng.integers(len(palette))] + rng.uniform(-jitter, jitter, 3)
    return tuple(np.clip(c, 0, 255).tolist())


def _scaled(c: Color, f: float) -> Color:
    return tuple(min(255.0, v * f) for v in c)


def _grey(rng: np.random.Generator, lo: float, hi: float) -> Color:
    v = _uniform(rng, lo, hi)
    return (v, v, v)


def _glass(rng: np.random.Generator) -> Color:
    base = np.array([75.0, 60.0, 45.0]) * _uniform(rng, 0.6, 1.5)
    return tuple(np.clip(base + rng.uniform(-12, 12, 3), 0, 255).tolist())


def _head_color(rng: np.random.Generator, p_helmet: float) -> Color:
    if rng.random() < p_helmet:
        return _color(rng)
    return _color(rng, _SKIN, 12.0)


@dataclass
class _Sprite:
    """A rendered object: premultiplied colour, coverage alpha and its ground-contact point."""

    rgb: np.ndarray  # (h, w, 3) float32, premultiplied by alpha
    alpha: np.ndarray  # (h, w) float32 in [0, 1]
    anchor: Point  # (x, y) in sprite pixels of the point that stands on the ground
    half_width: float  # px, used for the ground shadow


class _Pen:
    """Draws one sprite in metric-like units around a ground point.

    ``u`` grows to the right, ``v`` grows downwards with ``v = 0`` on the ground (so objects live
    at negative ``v``); ``s`` is the number of pixels per unit at the object's depth.
    """

    def __init__(self, s: float, width: float, height: float):
        self.s = s
        w_px = int(np.ceil(width * s)) + 2 * _PAD
        h_px = int(np.ceil(height * s)) + 2 * _PAD
        self.ox = _PAD + 0.5 * width * s
        self.oy = _PAD + height * s
        self.rgb = np.zeros((h_px, w_px, 3), np.uint8)
        self.mask = np.zeros((h_px, w_px), np.uint8)

    def _pts(self, pts: Sequence[Point]) -> np.ndarray:
        arr = np.asarray(pts, np.float64) * self.s + (self.ox, self.oy)
        return np.round(arr * (1 << _SHIFT)).astype(np.int32).reshape(-1, 1, 2)

    def _pt(self, p: Point) -> tuple[int, int]:
        x, y = self._pts([p])[0, 0]
        return int(x), int(y)

    def _thick(self, t: float) -> int:
        return max(1, round(t * self.s))

    def poly(self, pts: Sequence[Point], color: Color) -> None:
        p = [self._pts(pts)]
        cv2.fillPoly(self.rgb, p, color, cv2.LINE_AA, _SHIFT)
        cv2.fillPoly(self.mask, p, 255, cv2.LINE_AA, _SHIFT)

    def rect(self, u0: float, v0: float, u1: float, v1: float, color: Color) -> None:
        self.poly([(u0, v0), (u1, v0), (u1, v1), (u0, v1)], color)

    def line(self, p: Point, q: Point, color: Color, thick: float) -> None:
        a, b, t = self._pt(p), self._pt(q), self._thick(thick)
        cv2.line(self.rgb, a, b, color, t, cv2.LINE_AA, _SHIFT)
        cv2.line(self.mask, a, b, 255, t, cv2.LINE_AA, _SHIFT)

    def circle(self, c: Point, r: float, color: Color, thick: float | None = None) -> None:
        self.ellipse(c, (r, r), 0.0, color, thick)

    def ellipse(
        self, c: Point, axes: Point, angle: float, color: Color, thick: float | None = None
    ) -> None:
        center = self._pt(c)
        ax = tuple(max(1, round(a * self.s * (1 << _SHIFT))) for a in axes)
        t = -1 if thick is None else self._thick(thick)
        cv2.ellipse(self.rgb, center, ax, angle, 0, 360, color, t, cv2.LINE_AA, _SHIFT)
        cv2.ellipse(self.mask, center, ax, angle, 0, 360, 255, t, cv2.LINE_AA, _SHIFT)

    def finish(self, rng: np.random.Generator, half_width: float, flip: bool = False) -> _Sprite:
        alpha = self.mask.astype(np.float32) * (1.0 / 255.0)
        rgb = self.rgb.astype(np.float32)
        # Soft top-lit shading so that flat shapes get some texture.
        shade = np.linspace(_uniform(rng, 1.0, 1.2), _uniform(rng, 0.72, 0.95), rgb.shape[0])
        rgb *= shade.astype(np.float32)[:, None, None]
        ox = self.ox
        if flip:
            rgb, alpha = rgb[:, ::-1], alpha[:, ::-1]
            ox = rgb.shape[1] - ox
        return _Sprite(rgb, alpha, (ox, self.oy), half_width * self.s)


# --------------------------------------------------------------------------------------------
# Annotated objects. Every function takes ``s`` (pixels per unit, about one metre).
# --------------------------------------------------------------------------------------------
# (height, side length, rear width) ranges in units for car, van, truck, bus.
_VEHICLE_DIMS = (
    ((1.4, 1.6), (3.8, 4.6), (1.7, 1.9)),
    ((2.0, 2.6), (4.5, 5.8), (1.9, 2.1)),
    ((2.8, 3.4), (6.0, 8.5), (2.3, 2.5)),
    ((3.0, 3.3), (8.5, 11.0), (2.4, 2.55)),
)


def _vehicle(rng: np.random.Generator, s: float) -> _Sprite:
    kind = int(rng.choice(4, p=(0.62, 0.16, 0.1, 0.12)))  # car, van, truck, bus
    side = rng.random() < 0.45
    h_rng, len_rng, wid_rng = _VEHICLE_DIMS[kind]
    h = _uniform(rng, *h_rng)
    w = _uniform(rng, *(len_rng if side else wid_rng))
    pen = _Pen(s, w, h)

    def p(fx: float, fy: float) -> Point:  # fractions of the bounding box, fy = 0 at the roof
        return (w * (fx - 0.5), h * (fy - 1.0))

    body = _color(rng)
    glass = _glass(rng)
    tyre = _grey(rng, 15, 50)
    red = _scaled(_color(rng, _PALETTE[4:5], 15), 1.1)
    if side:
        _vehicle_side(rng, pen, p, kind, w, h, body, glass, tyre, red)
    else:
        _vehicle_rear(rng, pen, p, kind, body, glass, tyre, red)
    return pen.finish(rng, 0.5 * w, flip=bool(rng.random() < 0.5))


def _vehicle_side(rng, pen, p, kind, w, h, body, glass, tyre, red) -> None:
    if kind == 0:  # car: lower body, narrower cabin with a window band
        back = _uniform(rng, 0.62, 0.8)  # sedan vs hatchback roof end
        pen.poly(
            [p(0, 0.5), p(0.03, 0.42), p(0.97, 0.45), p(1, 0.55), p(1, 0.82), p(0, 0.82)], body
        )
        pen.poly([p(0.16, 0.45), p(0.3, 0.03), p(back, 0.03), p(back + 0.14, 0.45)], body)
        pen.poly([p(0.21, 0.42), p(0.32, 0.1), p(back - 0.02, 0.1), p(back + 0.09, 0.42)], glass)
        pen.line(p(0.5, 0.08), p(0.5, 0.44), body, 0.05)
        pen.rect(*p(0.96, 0.5), *p(1.0, 0.58), _grey(rng, 200, 250))
        pen.rect(*p(0.0, 0.5), *p(0.03, 0.6), red)
        wheels, rw = (0.19, 0.81), 0.2 * h
    elif kind == 1:  # van: tall body, slanted windscreen, side windows
        pen.poly(
            [p(0, 0.02), p(0.78, 0.02), p(0.95, 0.3), p(1, 0.36), p(1, 0.85), p(0, 0.85)], body
        )
        pen.poly([p(0.8, 0.08), p(0.93, 0.32), p(0.8, 0.32)], glass)
        for x0 in np.arange(0.05, 0.7, 0.25):
            pen.rect(*p(x0, 0.1), *p(x0 + 0.2, 0.34), glass)
        wheels, rw = (0.17, 0.83), 0.15 * h
    elif kind == 2:  # truck: cargo box and a separate cab
        pen.rect(*p(0, 0), *p(0.72, 0.8), _color(rng))
        pen.poly([p(0.74, 0.25), p(0.93, 0.25), p(1, 0.45), p(1, 0.85), p(0.74, 0.85)], body)
        pen.rect(*p(0.79, 0.3), *p(0.96, 0.5), glass)
        pen.rect(*p(0, 0.78), *p(1, 0.88), tyre)
        wheels, rw = (0.13, 0.28, 0.86), 0.12 * h
    else:  # bus: long box with a row of windows and a door
        pen.rect(*p(0, 0.02), *p(1, 0.87), body)
        n = int(rng.integers(5, 10))
        edges = np.linspace(0.05, 0.95, n + 1)
        for x0, x1 in zip(edges[:-1], edges[1:], strict=True):
            pen.rect(*p(x0 + 0.008, 0.14), *p(x1 - 0.008, 0.48), glass)
        pen.rect(*p(0.08, 0.14), *p(0.14, 0.85), glass)
        wheels, rw = (0.2, 0.8), 0.12 * h
    for fx in wheels:
        c = (p(fx, 1)[0], -rw)
        pen.circle(c, rw, tyre)
        pen.circle(c, 0.45 * rw, _grey(rng, 110, 190))


def _vehicle_rear(rng, pen, p, kind, body, glass, tyre, red) -> None:
    if kind == 0:
        pen.poly([p(0.07, 0.42), p(0.2, 0.02), p(0.8, 0.02), p(0.93, 0.42)], body)
        pen.poly([p(0.13, 0.38), p(0.24, 0.08), p(0.76, 0.08), p(0.87, 0.38)], glass)
        pen.rect(*p(0, 0.38), *p(1, 0.85), body)
        light_y = (0.45, 0.57)
    else:
        pen.rect(*p(0, 0), *p(1, 0.88), body)
        if kind == 1:
            pen.rect(*p(0.08, 0.08), *p(0.46, 0.4), glass)
            pen.rect(*p(0.54, 0.08), *p(0.92, 0.4), glass)
        elif kind == 2:
            pen.line(p(0.5, 0.05), p(0.5, 0.82), _scaled(body, 0.5), 0.03)
        else:
            pen.rect(*p(0.06, 0.06), *p(0.94, 0.45), glass)
        light_y = (0.62, 0.7)
    for fx in (0.04, 0.8):
        pen.rect(*p(fx, light_y[0]), *p(fx + 0.16, light_y[1]), red)
    pen.rect(*p(0.38, 0.62), *p(0.62, 0.72), _grey(rng, 170, 240))
    pen.rect(*p(0, 0.77), *p(1, 0.86), _scaled(body, 0.55))
    for fx in (0.06, 0.78):
        pen.rect(*p(fx, 0.8), *p(fx + 0.16, 1.0), tyre)


def _person(
    rng: np.random.Generator,
    pen: _Pen,
    hip: Point,
    shoulder: Point,
    knees: Sequence[Point],
    feet: Sequence[Point],
    hand: Point,
    size: float,
    p_helmet: float,
) -> None:
    """A stick-like seated or cycling rider; ``size`` is the torso thickness in units."""
    legs, torso = _scaled(_color(rng), 0.7), _color(rng)
    for knee, foot in zip(knees, feet, strict=True):
        pen.line(hip, knee, legs, 0.5 * size)
        pen.line(knee, foot, legs, 0.45 * size)
    pen.line(hip, shoulder, torso, size)
    pen.line(shoulder, hand, torso, 0.4 * size)
    r = 0.6 * size
    dx, dy = shoulder[0] - hip[0], shoulder[1] - hip[1]
    norm = np.hypot(dx, dy)
    head = (shoulder[0] + dx / norm * 1.4 * r, shoulder[1] + dy / norm * 1.4 * r)
    pen.circle(head, r, _head_color(rng, p_helmet))


def _pedestrian(rng: np.random.Generator, s: float) -> _Sprite:
    h = _uniform(rng, 1.0, 1.35) if rng.random() < 0.1 else _uniform(rng, 1.55, 1.9)
    pen = _Pen(s, 0.8 * h, h)
    stride = _uniform(rng, 0.0, 0.28) * h
    sw = 0.12 * h * _uniform(rng, 0.9, 1.15)  # half shoulder width
    torso, legs = _color(rng), _scaled(_color(rng), 0.75)
    leg_t = 0.075 * h
    for side in (-1, 1):
        foot = (side * (0.05 * h + 0.5 * stride), -0.5 * leg_t)
        pen.line((side * 0.05 * h, -0.5 * h), foot, legs, leg_t)
        pen.line(foot, (foot[0] + 0.05 * h * side, foot[1]), _grey(rng, 15, 60), 0.04 * h)
    hem, hem_w = (-0.3 * h, 0.13 * h) if rng.random() < 0.25 else (-0.47 * h, 0.09 * h)
    pen.poly([(-sw, -0.83 * h), (sw, -0.83 * h), (hem_w, hem), (-hem_w, hem)], torso)
    arm = torso if rng.random() < 0.7 else _color(rng, _SKIN, 12.0)
    for side in (-1, 1):
        hand = (side * (sw + _uniform(rng, 0.0, 0.07) * h) - side * 0.3 * stride, -0.5 * h)
        pen.line((side * 0.9 * sw, -0.8 * h), hand, arm, 0.05 * h)
        if side == 1 and rng.random() < 0.25:  # carried bag
            pen.rect(
                hand[0] - 0.04 * h, hand[1], hand[0] + 0.06 * h, hand[1] + 0.12 * h, _color(rng)
            )
    r = 0.068 * h
    pen.circle((0.0, -h + r), r, _head_color(rng, 0.15))
    return pen.finish(rng, 0.15 * h, flip=bool(rng.random() < 0.5))


def _scooter(rng: np.random.Generator, s: float) -> _Sprite:
    rider = rng.random() < 0.85
    pen = _Pen(s, 2.0, 1.7 if rider else 1.2)
    body, tyre = _color(rng), _grey(rng, 15, 55)
    rw = _uniform(rng, 0.19, 0.24)
    half_base = _uniform(rng, 0.52, 0.62)
    for x in (-half_base, half_base):
        pen.circle((x, -rw), rw, tyre)
        pen.circle((x, -rw), 0.4 * rw, _grey(rng, 110, 190))
    seat_y = -_uniform(rng, 0.68, 0.78)
    pen.rect(-0.35, -0.42, 0.38, -0.3, body)  # floorboard
    pen.poly(
        [(-0.85, -0.45), (-0.75, seat_y), (-0.12, seat_y), (0.0, -0.45), (0.0, -0.3), (-0.6, -0.3)],
        body,
    )
    pen.line((-0.72, seat_y - 0.03), (-0.15, seat_y - 0.03), _grey(rng, 15, 50), 0.07)
    bar = (0.52, -1.05)
    pen.poly([(0.32, -0.3), (0.56, -0.3), (0.62, -0.98), (0.46, -1.0), (0.3, -0.45)], body)
    pen.ellipse((half_base, -rw - 0.05), (rw * 1.1, rw * 0.5), 0.0, body)  # front mudguard
    pen.line(bar, (0.36, -1.08), _grey(rng, 20, 80), 0.05)
    pen.circle((0.62, -0.85), 0.06, _grey(rng, 200, 250))
    if rider:
        hip = (-0.38, seat_y - 0.08)
        _person(
            rng,
            pen,
            hip,
            shoulder=(hip[0] + _uniform(rng, 0.0, 0.15), hip[1] - 0.5),
            knees=[(0.12, hip[1] - 0.05)],
            feet=[(0.18, -0.45)],
            hand=(0.4, -1.05),
            size=0.2,
            p_helmet=0.8,
        )
    return pen.finish(rng, 0.9, flip=bool(rng.random() < 0.5))


def _bicycle(rng: np.random.Generator, s: float) -> _Sprite:
    rider = rng.random() < 0.55
    pen = _Pen(s, 1.9, 1.9 if rider else 1.15)
    r = _uniform(rng, 0.31, 0.36)
    half_base = _uniform(rng, 0.5, 0.56)
    tyre, frame = _grey(rng, 15, 70), _color(rng)
    t_tyre, t_frame = _uniform(rng, 0.035, 0.06), _uniform(rng, 0.03, 0.045)
    rear, front = (-half_base, -r), (half_base, -r)
    for hub in (rear, front):
        pen.circle(hub, r - 0.5 * t_tyre, tyre, t_tyre)
        pen.circle(hub, 0.05, _grey(rng, 90, 180))
    bb = (0.0, -0.3)
    seat = (-0.18, -2.7 * r)
    head = (half_base - 0.14, -2.6 * r)
    for a, b in ((rear, bb), (rear, seat), (bb, seat), (seat, head), (bb, head), (head, front)):
        pen.line(a, b, frame, t_frame)
    bar = (head[0] - 0.1, head[1] - 0.12)
    pen.line(head, bar, _grey(rng, 20, 80), t_frame)
    pen.line((seat[0] - 0.1, seat[1] - 0.03), (seat[0] + 0.08, seat[1] - 0.03), tyre, 0.05)
    if rider:
        hip = (seat[0], seat[1] - 0.06)
        lean = _uniform(rng, 0.15, 0.35)
        _person(
            rng,
            pen,
            hip,
            shoulder=(hip[0] + lean, hip[1] - 0.55),
            knees=[(0.08, hip[1] + 0.22), (-0.02, hip[1] + 0.3)],
            feet=[(0.1, bb[1] + 0.05), (-0.08, bb[1] - 0.08)],
            hand=bar,
            size=0.16,
            p_helmet=0.4,
        )
    return pen.finish(rng, 0.85, flip=bool(rng.random() < 0.5))


_OBJECT_FNS = (_vehicle, _pedestrian, _scooter, _bicycle)


# --------------------------------------------------------------------------------------------
# Distractors: drawn like objects but never annotated.
# --------------------------------------------------------------------------------------------
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


# --------------------------------------------------------------------------------------------
# Scene
# --------------------------------------------------------------------------------------------
@dataclass
class _Scene:
    width: int
    height: int
    horizon: float  # y of the horizon
    vx: float  # x of the vanishing point
    road_half: float  # road half width at the bottom row
    kappa: float  # pixels per unit per pixel below the horizon

    def road_x(self, depth: float) -> tuple[float, float]:
        half = self.road_half * depth / (self.height - self.horizon)
        return self.vx - half, self.vx + half


def _lowfreq(
    rng: np.random.Generator, w: int, h: int, cells: tuple[int, int], amp: float
) -> np.ndarray:
    """Smooth random texture, mostly brightness with a little colour."""
    small = rng.standard_normal((cells[1], cells[0], 1)).astype(np.float32) * amp
    small = small + rng.standard_normal((cells[1], cells[0], 3)).astype(np.float32) * (0.25 * amp)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def _background(rng: np.random.Generator, sc: _Scene) -> np.ndarray:
    w, h, hz = sc.width, sc.height, int(round(sc.horizon))
    img = np.empty((h, w, 3), np.float32)
    sky = rng.integers(3)
    top, bottom = [
        ((190, 140, 80), (235, 215, 190)),  # clear
        ((170, 165, 160), (215, 212, 210)),  # overcast
        ((140, 90, 90), (120, 170, 230)),  # dusk
    ][sky]
    t = np.linspace(0, 1, hz, dtype=np.float32)[:, None, None]
    jit = rng.uniform(-20, 20, (2, 3)).astype(np.float32)
    img[:hz] = (np.float32(top) + jit[0]) * (1 - t) + (np.float32(bottom) + jit[1]) * t
    ground = np.array(_color(rng, _PALETTE[[7, 9, 13, 2]], 25), np.float32)
    t = np.linspace(0, 1, h - hz, dtype=np.float32)[:, None, None]
    img[hz:] = ground * (0.75 + 0.35 * t)

    # Far buildings along the horizon (un-annotated clutter; their windows resemble vehicles').
    for _ in range(int(rng.integers(2, 14))):
        bw, bh = _uniform(rng, 0.03, 0.15) * w, _uniform(rng, 0.05, 0.55) * hz
        x0 = _uniform(rng, -0.05, 1.0) * w
        c = np.array(_color(rng, jitter=30)) * _uniform(rng, 0.5, 0.9)
        cv2.rectangle(img, (int(x0), int(hz - bh)), (int(x0 + bw), hz + 1), c.tolist(), -1)
        if rng.random() < 0.6 and bh > 12 and bw > 8:
            win = (c * _uniform(rng, 0.4, 1.6)).tolist()
            for wy in np.arange(hz - bh + 3, hz - 5, _uniform(rng, 5, 10)):
                for wx in np.arange(x0 + 2, x0 + bw - 4, _uniform(rng, 5, 10)):
                    cv2.rectangle(img, (int(wx), int(wy)), (int(wx + 2), int(wy + 2)), win, -1)

    # Road: trapezoid to the vanishing point, with kerbs and lane markings.
    road = np.array(_grey(rng, 70, 135), np.float32) + rng.uniform(-8, 8, 3).astype(np.float32)
    left, right = sc.vx - sc.road_half, sc.vx + sc.road_half
    apex = [(sc.vx - 2, hz), (sc.vx + 2, hz)]
    cv2.fillPoly(img, [np.int32([apex[0], apex[1], (right, h), (left, h)])], road.tolist())
    kerb = _grey(rng, 150, 220)
    for x in (left, right):
        cv2.line(img, (int(sc.vx), hz), (int(x), h), kerb, max(1, int(0.012 * w)), cv2.LINE_AA)
    n_lanes = int(rng.integers(2, 5))
    mark = (235.0, 235.0, 235.0) if rng.random() < 0.75 else (40.0, 200.0, 230.0)
    period, dash = _uniform(rng, 2.5, 4.0), _uniform(rng, 0.8, 1.6)
    z0 = _uniform(rng, 0, period)
    for i in range(1, n_lanes):
        xb = left + (right - left) * i / n_lanes
        for z in np.arange(1.0 + z0, 60.0, period):  # equal spacing along the ground
            ya, yb = hz + (h - hz) / (z + dash), hz + (h - hz) / z
            ta, tb = (ya - hz) / (h - hz), (yb - hz) / (h - hz)
            half_a, half_b = 0.006 * w * ta, 0.006 * w * tb
            xa, xb2 = sc.vx + (xb - sc.vx) * ta, sc.vx + (xb - sc.vx) * tb
            quad = np.float32(
                [(xa - half_a, ya), (xa + half_a, ya), (xb2 + half_b, yb), (xb2 - half_b, yb)]
            )
            cv2.fillPoly(img, [np.round(quad * 16).astype(np.int32)], mark, cv2.LINE_AA, 4)
    if rng.random() < 0.2:  # crosswalk
        ya = hz + (h - hz) * _uniform(rng, 0.3, 0.7)
        yb = ya + 0.08 * (ya - hz) + 2
        for f in np.arange(0.05, 0.95, 0.1):
            xs = [
                sc.vx + (left + (right - left) * g - sc.vx) * (y - hz) / (h - hz)
                for y in (ya, yb)
                for g in (f, f + 0.05)
            ]
            quad = np.int32([(xs[0], ya), (xs[1], ya), (xs[3], yb), (xs[2], yb)])
            cv2.fillPoly(img, [quad], mark)
    for _ in range(int(rng.poisson(1.5))):  # patches and manholes
        y = hz + (h - hz) * _uniform(rng, 0.1, 1.0)
        x = _uniform(rng, 0, w)
        ax = (int(0.05 * (y - hz) + 2), int(0.015 * (y - hz) + 1))
        col = (road * _uniform(rng, 0.5, 1.3)).tolist()
        thick = -1 if rng.random() < 0.6 else max(1, ax[1] // 2)
        cv2.ellipse(img, (int(x), int(y)), ax, 0, 0, 360, col, thick, cv2.LINE_AA)

    img[:hz] += _lowfreq(rng, w, hz, (12, 4), _uniform(rng, 2, 8))
    img[hz:] += _lowfreq(rng, w, h - hz, (16, 8), _uniform(rng, 4, 14))
    img[hz:] += _lowfreq(rng, w, h - hz, (72, 24), _uniform(rng, 2, 6))
    return img


def _paste(canvas: np.ndarray, ids: np.ndarray, sp: _Sprite, x: float, y: float, oid: int):
    """Composites a sprite with its anchor at (x, y); returns (in-image box, silhouette area)."""
    h_img, w_img = ids.shape
    x0, y0 = int(round(x - sp.anchor[0])), int(round(y - sp.anchor[1]))
    sh, sw = sp.alpha.shape
    sil = sp.alpha > 0.5
    area = int(sil.sum())
    cx0, cy0, cx1, cy1 = max(x0, 0), max(y0, 0), min(x0 + sw, w_img), min(y0 + sh, h_img)
    if area == 0 or cx0 >= cx1 or cy0 >= cy1:
        return None, area
    sl = (slice(cy0 - y0, cy1 - y0), slice(cx0 - x0, cx1 - x0))
    a = sp.alpha[sl][..., None]
    region = canvas[cy0:cy1, cx0:cx1]
    region *= 1.0 - a
    region += sp.rgb[sl]
    vis = sil[sl]
    ids[cy0:cy1, cx0:cx1][vis] = oid
    rows, cols = np.flatnonzero(vis.any(1)), np.flatnonzero(vis.any(0))
    if rows.size == 0:
        return None, area
    box = (cx0 + cols[0], cy0 + rows[0], cx0 + cols[-1] + 1, cy0 + rows[-1] + 1)
    return box, area


_NOISE_MARGIN = 64
_noise_banks: dict[tuple[int, int], np.ndarray] = {}


def _noise_bank(h: int, w: int) -> np.ndarray:
    """Unit Gaussian noise from a fixed seed, cached per process.

    Drawing fresh full-frame Gaussian noise is the single most expensive step of rendering, so
    each image takes a randomly offset, sign-flipped crop of this bank instead.
    """
    bank = _noise_banks.get((h, w))
    if bank is None:
        shape = (h + _NOISE_MARGIN, w + _NOISE_MARGIN, 3)
        bank = np.random.default_rng(20240917).standard_normal(shape, dtype=np.float32)
        _noise_banks[(h, w)] = bank
    return bank


def _photometric(rng: np.random.Generator, img: np.ndarray, sc: _Scene) -> np.ndarray:
    """Global lighting, colour cast, fog, gamma, blur and sensor noise; returns uint8 BGR.

    Works in place on the float canvas ``img``.
    """
    gains = rng.uniform(0.85, 1.15, 3).astype(np.float32)
    contrast, bright = _uniform(rng, 0.7, 1.2), _uniform(rng, -35, 25)
    if rng.random() < 0.12:  # dusk/night: dark and flat
        gains *= _uniform(rng, 0.35, 0.6)
    # Per-channel affine map; cv2.transform is much faster than numpy broadcasting over 3 channels.
    affine = np.zeros((3, 4), np.float32)
    affine[:, :3] = np.diag(contrast * gains)
    affine[:, 3] = (128.0 * (1.0 - contrast) + bright) * gains
    img = cv2.transform(img, affine)
    if rng.random() < 0.15:  # fog, thicker towards the horizon
        dist = np.abs(np.arange(sc.height, dtype=np.float32) - sc.horizon) / sc.height
        f = (_uniform(rng, 0.3, 0.7) * np.exp(-dist * _uniform(rng, 2, 6)))[:, None, None]
        img *= 1.0 - f
        img += _uniform(rng, 170, 220) * f
    np.clip(img, 0, 255, out=img)
    gamma = _uniform(rng, 0.7, 1.4)
    lut = np.clip(255.0 * (np.arange(256) / 255.0) ** gamma + 0.5, 0, 255).astype(np.uint8)
    out = cv2.LUT(img.astype(np.uint8), lut)
    if rng.random() < 0.3:
        out = cv2.GaussianBlur(out, (5, 5), _uniform(rng, 0.5, 1.3))
    h, w = out.shape[:2]
    dy, dx = (int(v) for v in rng.integers(0, _NOISE_MARGIN + 1, 2))
    sigma = _uniform(rng, 2.0, 9.0) * (1 if rng.random() < 0.5 else -1)
    noisy = cv2.scaleAdd(_noise_bank(h, w)[dy : dy + h, dx : dx + w], sigma, out.astype(np.float32))
    return np.clip(noisy, 0, 255, out=noisy).astype(np.uint8)


def _place(rng: np.random.Generator, sc: _Scene, on_road: float) -> tuple[float, float]:
    """Samples a ground point (x, depth below the horizon), log-uniform in depth."""
    d_max = 1.08 * (sc.height - sc.horizon)
    d_min = min(16.0, 0.5 * d_max)  # 16 px below the horizon gives objects of about 8 px
    d = float(np.exp(rng.uniform(np.log(d_min), np.log(d_max))))
    if rng.random() < on_road:
        lo, hi = sc.road_x(d)
        x = _uniform(rng, lo, hi)
    else:
        x = _uniform(rng, -0.05, 1.05) * sc.width
    return x, d


def render_image(
    rng: np.random.Generator, img_size: tuple[int, int] = (576, 320)
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Renders one scene.

    Returns the BGR uint8 image, boxes ``(N, 4)`` float32 ``x1, y1, x2, y2`` (pixel edges,
    clipped to the image) and labels ``(N,)`` int64 indexing :data:`CLASSES`.
    """
    w, h = img_size
    horizon = h * _uniform(rng, 0.3, 0.48)
    sc = _Scene(
        width=w,
        height=h,
        horizon=horizon,
        vx=w * _uniform(rng, 0.3, 0.7),
        road_half=w * _uniform(rng, 0.45, 1.0),
        kappa=_uniform(rng, 0.22, 0.3),
    )
    canvas = _background(rng, sc)

    # (depth, tie-break, label or -1, sprite, x)
    items: list[tuple[float, int, int, _Sprite, float]] = []
    n_obj = int(rng.poisson(_uniform(rng, 6.0, 14.0)))
    for label in rng.choice(len(CLASSES), size=n_obj, p=_CLASS_WEIGHTS):
        on_road = (0.75, 0.3, 0.4, 0.35)[label]
        x, d = _place(rng, sc, on_road)
        items.append((d, len(items), int(label), _OBJECT_FNS[label](rng, sc.kappa * d), x))
    n_dis = int(rng.poisson(_uniform(rng, 3.0, 10.0)))
    for k in rng.choice(len(_DISTRACTOR_FNS), size=n_dis, p=_DISTRACTOR_P):
        x, d = _place(rng, sc, 0.15)
        items.append((d, len(items), -1, _DISTRACTOR_FNS[k](rng, sc.kappa * d), x))
    items.sort(key=lambda it: (it[0], it[1]))  # far to near

    # Contact shadows on the ground, drawn before any object.
    shadow = np.zeros((h, w), np.uint8)
    for d, _, _, sp, x in items:
        ax = (max(1, int(sp.half_width * 1.1)), max(1, int(0.1 * sp.half_width + 1)))
        cv2.ellipse(shadow, (int(x), int(horizon + d)), ax, 0, 0, 360, 255, -1, cv2.LINE_AA)
    darkness = _uniform(rng, 0.2, 0.5) / 255.0
    light = cv2.cvtColor(1.0 - shadow.astype(np.float32) * darkness, cv2.COLOR_GRAY2BGR)
    cv2.multiply(canvas, light, dst=canvas)

    ids = np.zeros((h, w), np.int32)  # 0: background or distractor, i + 1: object i
    objects: list[tuple[tuple[int, int, int, int], int, int]] = []  # box, area, label
    for d, _, label, sp, x in items:
        oid = len(objects) + 1 if label >= 0 else 0
        box, area = _paste(canvas, ids, sp, x, horizon + d, oid)
        if label >= 0:
            objects.append((box, area, label))

    visible = np.bincount(ids.ravel(), minlength=len(objects) + 1)
    boxes, labels = [], []
    for i, (box, area, label) in enumerate(objects):
        if box is None or visible[i + 1] < _MIN_VISIBLE * area:
            continue
        if box[2] - box[0] < _MIN_BOX or box[3] - box[1] < _MIN_BOX:
            continue
        boxes.append(box)
        labels.append(label)
    img = _photometric(rng, canvas, sc)
    return img, np.array(boxes, np.float32).reshape(-1, 4), np.array(labels, np.int64)


# --------------------------------------------------------------------------------------------
# Dataset on disk
# --------------------------------------------------------------------------------------------
def _render_to_file(task: tuple[int, int, int, tuple[int, int], str]) -> list[list[float]]:
    """Renders image ``index`` of a split, writes it and returns ``[label, x, y, w, h]`` rows."""
    seed, split_code, index, img_size, path = task
    rng = np.random.default_rng((seed, split_code, index))
    img, boxes, labels = render_image(rng, img_size)
    quality = int(rng.integers(*_JPEG_QUALITY))
    if not cv2.imwrite(path, img, [cv2.IMWRITE_JPEG_QUALITY, quality]):
        raise OSError(f'could not write {path}')
    return [
        [int(lab), float(x1), float(y1), float(x2 - x1), float(y2 - y1)]
        for lab, (x1, y1, x2, y2) in zip(labels.tolist(), boxes.tolist(), strict=True)
    ]


def _coco_dict(split: str, rows: list[list[list[float]]], img_size: tuple[int, int], seed: int):
    w, h = img_size
    images, annotations = [], []
    for i, objs in enumerate(rows):
        images.append({'id': i + 1, 'file_name': f'{i + 1:06d}.jpg', 'width': w, 'height': h})
        for label, x, y, bw, bh in objs:
            annotations.append(
                {
                    'id': len(annotations) + 1,
                    'image_id': i + 1,
                    'category_id': int(label) + 1,
                    'bbox': [x, y, bw, bh],
                    'area': bw * bh,
                    'iscrowd': 0,
                }
            )
    return {
        'info': {
            'description': f'mmdet_lite synthetic road scenes ({split})',
            'version': str(GENERATOR_VERSION),
            'seed': seed,
        },
        'images': images,
        'annotations': annotations,
        'categories': [{'id': i + 1, 'name': n} for i, n in enumerate(CLASSES)],
    }


def _split_summary(coco: dict) -> dict:
    counts = dict.fromkeys(CLASSES, 0)
    for ann in coco['annotations']:
        counts[CLASSES[ann['category_id'] - 1]] += 1
    return {
        'num_images': len(coco['images']),
        'num_boxes': len(coco['annotations']),
        'boxes_per_class': counts,
    }


def _load_meta(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _default_workers(num_images: int) -> int:
    if num_images < 64 or 'fork' not in get_all_start_methods():
        return 0
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()
    return min(cpus or 1, 8)


def _init_worker() -> None:
    """Tunes malloc in a worker process (never in the caller's process).

    glibc returns freed image-sized buffers to the OS and page-faults them back for the next
    image, which costs about a third of the render time; raising its trim and mmap thresholds
    keeps them in the heap.
    """
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(-1, 512 << 20)  # M_TRIM_THRESHOLD
        libc.mallopt(-3, 256 << 20)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):  # not glibc: only slower
        pass


def make_synthetic_dataset(
    out_dir: str,
    num_train: int = 1500,
    num_val: int = 300,
    img_size: tuple[int, int] = (576, 320),
    seed: int = 0,
    overwrite: bool = False,
    num_workers: int | None = None,
) -> dict:
    """Writes the synthetic benchmark in COCO format and returns a per-split summary.

    Layout: ``out_dir/annotations/instances_{train,val}.json``, ``out_dir/images/{train,val}/
    000001.jpg, ...`` and ``out_dir/meta.json`` (generation parameters and summary, written last).
    If ``meta.json`` matches the requested parameters and ``overwrite`` is False nothing is
    written and the stored summary is returned. ``img_size`` is ``(width, height)``.
    ``num_workers=None`` picks a number of forked worker processes automatically; 0 renders in
    this process. The output does not depend on ``num_workers``.
    """
    if num_train < 0 or num_val < 0:
        raise ValueError(f'image counts must be >= 0, got {num_train=} {num_val=}')
    img_size = (int(img_size[0]), int(img_size[1]))
    if min(img_size) < 32:
        raise ValueError(f'img_size (width, height) must be at least 32 px, got {img_size}')
    if seed < 0:
        raise ValueError(f'seed must be >= 0, got {seed}')

    out = Path(out_dir)
    meta_path = out / 'meta.json'
    params = {
        'generator_version': GENERATOR_VERSION,
        'num_train': num_train,
        'num_val': num_val,
        'img_size': list(img_size),
        'seed': seed,
    }
    splits = {'train': num_train, 'val': num_val}
    ann_paths = {s: out / 'annotations' / f'instances_{s}.json' for s in splits}
    meta = None if overwrite else _load_meta(meta_path)
    if meta and meta.get('params') == params and all(p.is_file() for p in ann_paths.values()):
        return meta['summary']

    meta_path.unlink(missing_ok=True)  # an interrupted run must not look complete
    (out / 'annotations').mkdir(parents=True, exist_ok=True)
    if num_workers is None:
        num_workers = _default_workers(num_train + num_val)
    pool = None
    cv2_threads = cv2.getNumThreads()
    if num_workers:
        # OpenCV's thread pool does not survive fork: a child touching the copied pool can block
        # forever on a mutex of a thread that does not exist. Stopping the pool threads in the
        # parent first makes forking safe, and the workers inherit one OpenCV thread each.
        cv2.setNumThreads(1)
        pool = ProcessPoolExecutor(num_workers, get_context('fork'), initializer=_init_worker)
    summary = {}
    try:
        for split, n in splits.items():
            img_dir = out / 'images' / split
            img_dir.mkdir(parents=True, exist_ok=True)
            for old in img_dir.iterdir():  # stale images from a run with other parameters
                if _IMAGE_NAME.fullmatch(old.name):
                    old.unlink()
            tasks = [
                (seed, _SPLIT_CODES[split], i, img_size, str(img_dir / f'{i + 1:06d}.jpg'))
                for i in range(n)
            ]
            if pool is None:
                rows = [_render_to_file(t) for t in tasks]
            else:
                rows = list(pool.map(_render_to_file, tasks, chunksize=16))
            coco = _coco_dict(split, rows, img_size, seed)
            ann_paths[split].write_text(json.dumps(coco, separators=(',', ':')))
            summary[split] = _split_summary(coco)
    finally:
        if pool is not None:
            pool.shutdown()
            cv2.setNumThreads(cv2_threads)
    meta_path.write_text(json.dumps({'params': params, 'summary': summary}, indent=2))
    return summary
