"""Sprites of the synthetic road scenes: the four annotated objects (distractors: ``distractors``).

Every sprite is drawn with a :class:`_Pen` in metric-like units around its ground-contact point and
returned as a premultiplied :class:`_Sprite`, ready to be composited by ``scene``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

CLASSES = ('vehicle', 'pedestrian', 'scooter', 'bicycle')

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


_OBJECT_FNS = (_vehicle, _pedestrian, _scooter, _bicycle)  # indexed like CLASSES
