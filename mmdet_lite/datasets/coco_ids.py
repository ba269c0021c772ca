"""Consistency of the ids in a COCO file: what mmdet's loader silently resolves the wrong way."""

from collections import Counter
from typing import Dict, List

from .errors import DatasetError


def _show(ids: List) -> str:
    return ', '.join(map(str, ids[:5])) + (f' (+{len(ids) - 5} more)' if len(ids) > 5 else '')


def check_coco_ids(raw: Dict, ann_file: str) -> int:
    """Refuse duplicate image ids and annotations of no listed image; return how many
    annotations have a ``category_id`` that is no category of the file (COCO tools skip those;
    the caller counts and warns).

    With a duplicate image id, pycocotools keeps the last entry and every annotation of the
    other image lands on it (boxes in the wrong image); an annotation whose image is missing is
    dropped without a word.
    """
    counts = Counter(img.get('id') for img in raw['images'])
    twice = sorted(i for i, n in counts.items() if n > 1)
    if twice:
        names = {i: [img.get('file_name') for img in raw['images'] if img.get('id') == i]
                 for i in twice[:3]}
        raise DatasetError(
            f"'{ann_file}': image id(s) {_show(twice)} are used by more than one image (e.g. "
            f'{names}); pycocotools would keep one and put the other\'s boxes on it. Give every '
            'image its own id (and update the annotations\' image_id).')
    orphans = [a.get('id') for a in raw['annotations'] if a.get('image_id') not in counts]
    if orphans:
        raise DatasetError(
            f"'{ann_file}': {len(orphans)} annotation(s) (ids {_show(orphans)}) point at an "
            'image_id that no image entry has. Add the images or remove those annotations.')
    cat_ids = {c.get('id') for c in raw['categories']}
    return sum(1 for a in raw['annotations'] if a.get('category_id') not in cat_ids)


__all__ = ['check_coco_ids']
