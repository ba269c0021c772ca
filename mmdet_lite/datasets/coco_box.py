"""The one rule for COCO boxes, shared by the dataset (training data) and the metric (its ground
truth), so that both see exactly the same objects."""

import math
from typing import Optional, Tuple

# status of a box after check_coco_box
OK, CLIPPED, DEGENERATE, NON_FINITE, MALFORMED = ('ok', 'clipped', 'degenerate', 'non_finite',
                                                  'malformed')


def check_coco_box(bbox: object, width: float,
                   height: float) -> Tuple[str, Optional[Tuple[float, float, float, float]]]:
    """Classify a COCO ``[x, y, w, h]`` box in a ``width`` x ``height`` image.

    Returns ``(status, xyxy)``: ``xyxy`` is the box clipped to the image for ``'ok'`` and
    ``'clipped'``, else None. ``'malformed'``: not 4 numbers; ``'non_finite'``: a NaN or inf
    coordinate; ``'degenerate'``: zero-area, inverted, or less than 1 px inside the image.
    """
    if not isinstance(bbox, (list, tuple)) or len(bbox) != 4:
        return MALFORMED, None
    try:
        x, y, w, h = (float(v) for v in bbox)
    except (TypeError, ValueError):
        return MALFORMED, None
    if not all(math.isfinite(v) for v in (x, y, w, h)):
        return NON_FINITE, None
    x1, y1 = max(x, 0.0), max(y, 0.0)
    x2, y2 = min(x + w, width), min(y + h, height)
    if w <= 0 or h <= 0 or x2 - x1 < 1 or y2 - y1 < 1:
        return DEGENERATE, None
    status = OK if (x1, y1, x2, y2) == (x, y, x + w, y + h) else CLIPPED
    return status, (x1, y1, x2, y2)
