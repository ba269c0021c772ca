"""COCO dataset that validates its input and says what to do when it is wrong."""

import json
import os.path as osp
from typing import List, Union

from mmdet.datasets import CocoDataset
from mmdet.registry import DATASETS
from mmengine.fileio import get_local_path
from mmengine.logging import MMLogger


class DatasetError(ValueError):
    """A dataset's files or configuration are unusable; the message says how to fix them."""


@DATASETS.register_module()
class CheckedCocoDataset(CocoDataset):
    """:class:`mmdet.datasets.CocoDataset` with input checks for real-world annotation files.

    - a missing or unreadable/corrupt annotation file raises :class:`DatasetError` naming it;
    - every class in ``metainfo['classes']`` must be a category of the file (matched by name, in
      the config's order, whatever the file's category order); extra categories are ignored with
      a warning;
    - boxes are clipped to the image; zero-area, inverted or outside boxes are skipped and counted;
    - images listed but missing on disk are skipped and counted (``missing_img='skip'``, the
      default) or raise (``missing_img='error'``); a split with no image left raises.

    Counts of everything skipped are logged once per dataset.

    Args:
        missing_img: ``'skip'`` or ``'error'``.
        **kwargs: arguments of :class:`mmdet.datasets.CocoDataset`.
    """

    def __init__(self, *args, missing_img: str = 'skip', **kwargs) -> None:
        if missing_img not in ('skip', 'error'):
            raise DatasetError(f"missing_img must be 'skip' or 'error', got {missing_img!r}")
        self.missing_img = missing_img
        super().__init__(*args, **kwargs)

    def _fix_hint(self) -> str:
        return ('Set data_root / ann_file in the config (or --cfg-options '
                'train_dataloader.dataset.data_root=...). For the built-in benchmark run '
                '`python tools/make_synthetic.py --out data/synthetic`.')

    def load_data_list(self) -> List[dict]:
        if not self.ann_file or not (osp.isfile(self.ann_file) or '://' in self.ann_file):
            raise DatasetError(f"Annotation file '{self.ann_file}' not found. {self._fix_hint()}")
        try:
            with get_local_path(self.ann_file, backend_args=self.backend_args) as local_path:
                with open(local_path, encoding='utf-8') as f:
                    raw = json.load(f)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise DatasetError(f"Annotation file '{self.ann_file}' is not valid COCO json "
                               f'({err}). Re-create or re-download it.') from err
        missing = [k for k in ('images', 'annotations', 'categories')
                   if not isinstance(raw, dict) or k not in raw]
        if missing:
            raise DatasetError(f"Annotation file '{self.ann_file}' lacks the COCO key(s) "
                               f'{missing}; it is not a detection annotation file.')
        self._check_classes(raw['categories'])
        self._skipped = dict(degenerate_boxes=0, clipped_boxes=0, missing_images=0)

        coco = self.COCOAPI()  # index the json already read, instead of reading it again
        coco.dataset = raw
        coco.createIndex()
        # mmdet maps categories to labels in the file's order; map by name in the config's order.
        name_to_id = {c['name']: c['id'] for c in raw['categories']}
        self.cat_ids = [name_to_id[name] for name in self.metainfo['classes']]
        self.cat2label = {cat_id: i for i, cat_id in enumerate(self.cat_ids)}
        self.cat_img_map = {cat_id: list(coco.catToImgs[cat_id]) for cat_id in self.cat_ids}

        data_list, kept, ann_ids = [], [], []
        for img_id in coco.get_img_ids():
            img_info = dict(coco.load_imgs([img_id])[0], img_id=img_id)
            img_ann_ids = coco.get_ann_ids(img_ids=[img_id])
            ann_ids.extend(img_ann_ids)
            info = self.parse_data_info(
                dict(raw_img_info=img_info, raw_ann_info=coco.load_anns(img_ann_ids)))
            data_list.append(info)
            if not osp.isfile(info['img_path']) and '://' not in info['img_path']:
                if self.missing_img == 'error':
                    raise DatasetError(f"Image '{info['img_path']}' listed in '{self.ann_file}' "
                                       "is missing. Restore it, or set missing_img='skip'.")
                self._skipped['missing_images'] += 1
                continue
            kept.append(info)
        if len(set(ann_ids)) != len(ann_ids):
            raise DatasetError(f"Annotation ids in '{self.ann_file}' are not unique.")
        logger = MMLogger.get_current_instance()
        if any(self._skipped.values()):
            logger.warning(f"{self.ann_file}: skipped {self._skipped['missing_images']} missing "
                           f"image(s), {self._skipped['degenerate_boxes']} zero-area/inverted/"
                           f"outside box(es); clipped {self._skipped['clipped_boxes']} box(es) "
                           'to the image.')
        if data_list and not kept:
            raise DatasetError(f"None of the {len(data_list)} images of '{self.ann_file}' exist "
                               f"under '{self.data_prefix.get('img', '')}'. Check data_root and "
                               f'data_prefix. {self._fix_hint()}')
        return kept

    def _check_classes(self, categories: list) -> None:
        names = [c.get('name') for c in categories]
        classes = list(self.metainfo['classes'])
        absent = [c for c in classes if c not in names]
        if absent:
            raise DatasetError(
                f"Classes {absent} of the config are not categories of '{self.ann_file}' "
                f'(it has {names}). Make metainfo.classes / num_classes match the annotation '
                'file, e.g. the ivslab configs for 4-class files.')
        extra = [n for n in names if n not in classes]
        if extra:
            MMLogger.get_current_instance().warning(
                f"'{self.ann_file}': categories {extra} are not in the config's classes and are "
                'ignored.')

    def parse_data_info(self, raw_data_info: dict) -> Union[dict, List[dict]]:
        img_info = raw_data_info['raw_img_info']
        data_info = super().parse_data_info(
            dict(raw_data_info, raw_ann_info=[]))  # image fields only; boxes handled below
        width, height = img_info['width'], img_info['height']
        instances = []
        for ann in raw_data_info['raw_ann_info']:
            if ann.get('ignore', False) or ann['category_id'] not in self.cat2label:
                continue
            x, y, w, h = ann['bbox']
            x1, y1 = max(x, 0.0), max(y, 0.0)
            x2, y2 = min(x + w, width), min(y + h, height)
            if w <= 0 or h <= 0 or x2 - x1 < 1 or y2 - y1 < 1:
                self._skipped['degenerate_boxes'] += 1
                continue
            if (x1, y1, x2, y2) != (x, y, x + w, y + h):
                self._skipped['clipped_boxes'] += 1
            instances.append(dict(
                bbox=[x1, y1, x2, y2],
                bbox_label=self.cat2label[ann['category_id']],
                ignore_flag=1 if ann.get('iscrowd', False) else 0))
        data_info['instances'] = instances
        return data_info
