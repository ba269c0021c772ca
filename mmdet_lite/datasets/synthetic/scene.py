"""Scene composition of the synthetic road scenes: :func:`render_image`.

Background (sky, far buildings, road with lane markings), ground-plane placement of objects and
distractors, far-to-near compositing with visibility bookkeeping and photometric noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .distractors import _DISTRACTOR_FNS, _DISTRACTOR_P
from .sprites import (
    _OBJECT_FNS,
    _PALETTE,
    CLASSES,
    _color,
    _grey,
    _Sprite,
    _uniform,
)

# Sampling weights per class. Thin bicycles and small scooters lose more instances to the
# occlusion filter than vehicles, so the weights are skewed to land near 40:12:4:1 *kept* boxes.
_CLASS_WEIGHTS = np.array([37.0, 11.1, 4.3, 0.98])
_CLASS_WEIGHTS /= _CLASS_WEIGHTS.sum()
_MIN_VISIBLE = 0.3  # objects more than 70% hidden (occluded or outside the image) are dropped
_MIN_BOX = 2  # px, minimum box width and height


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


def _sky_and_ground(rng: np.random.Generator, sc: _Scene) -> np.ndarray:
    """A sky gradient above the horizon, a ground gradient below."""
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
    return img


def _buildings(rng: np.random.Generator, sc: _Scene, img: np.ndarray) -> None:
    """Far buildings along the horizon (un-annotated clutter; their windows resemble
    vehicles')."""
    w, hz = sc.width, int(round(sc.horizon))
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


def _road(rng: np.random.Generator, sc: _Scene, img: np.ndarray) -> np.ndarray:
    """Road: trapezoid to the vanishing point, with kerbs and lane markings; returns its
    colour."""
    w, h, hz = sc.width, sc.height, int(round(sc.horizon))
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
    if rng.random() < 0.2:
        _crosswalk(rng, sc, img, mark)
    return road


def _crosswalk(rng: np.random.Generator, sc: _Scene, img: np.ndarray,
               mark: tuple) -> None:
    h, hz = sc.height, int(round(sc.horizon))
    left, right = sc.vx - sc.road_half, sc.vx + sc.road_half
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


def _background(rng: np.random.Generator, sc: _Scene) -> np.ndarray:
    """Sky, ground, far buildings, the road with its markings, patches, then low-frequency
    texture (in this order: the random draws define the data set)."""
    w, h, hz = sc.width, sc.height, int(round(sc.horizon))
    img = _sky_and_ground(rng, sc)
    _buildings(rng, sc, img)
    road = _road(rng, sc, img)
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
