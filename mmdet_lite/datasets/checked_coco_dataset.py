"""COCO dataset that validates its input and says what to do when it is wrong."""

import json
import logging
import os.path as osp
from typing import Any, List, Optional, Union

from mmdet.datasets import CocoDataset
from mmdet.registry import DATASETS
from mmengine.fileio import get_local_path
from mmengine.logging import MMLogger, print_log

from .coco_box import CLIPPED, DEGENERATE, MALFORMED, NON_FINITE, check_coco_box
from .coco_ids import check_coco_ids
from .errors import DatasetError, UnreadableImageError


@DATASETS.register_module()
class CheckedCocoDataset(CocoDataset):
    """:class:`mmdet.datasets.CocoDataset` with input checks for real-world annotation files.

    - a missing or unreadable/corrupt annotation file raises :class:`DatasetError` naming it;
    - every class in ``metainfo['classes']`` must be a category of the file (matched by name, in
      the config's order, whatever the file's category order); extra categories are ignored with
      a warning;
    - an image entry without ``file_name``/``width``/``height``, or an annotation without
      ``bbox``/``category_id`` or with a ``bbox`` that is not 4 numbers, raises naming its id;
    - boxes are clipped to the image; zero-area, inverted, outside and non-finite (NaN/inf) boxes
      are skipped and counted (:func:`~mmdet_lite.datasets.coco_box.check_coco_box`, the rule
      :class:`~mmdet_lite.evaluation.CheckedCocoMetric` applies to its ground truth too);
    - images listed but missing on disk are skipped and counted (``missing_img='skip'``, the
      default) or raise (``missing_img='error'``); a split with no image left raises. Skipped
      images are excluded from evaluation too: the metric scores only the images it receives;
    - in training, an image that exists but cannot be decoded (``CheckedLoadImageFromFile``
      raises :class:`UnreadableImageError`) is skipped with a warning naming it and another image
      is drawn; more than ``max_unreadable`` (a fraction of the split) raises. At test time it is
      an error naming the file.

    Counts of everything skipped are logged once per dataset.

    Args:
        missing_img: ``'skip'`` or ``'error'``.
        max_unreadable: largest fraction of the split's images that may be undecodable before
            training stops with an error.
        **kwargs: arguments of :class:`mmdet.datasets.CocoDataset`.
    """

    def __init__(self, *args, missing_img: str = 'skip', max_unreadable: float = 0.01,
                 **kwargs) -> None:
        if missing_img not in ('skip', 'error'):
            raise DatasetError(f"missing_img must be 'skip' or 'error', got {missing_img!r}")
        if not 0.0 <= max_unreadable <= 1.0:
            raise DatasetError(f'max_unreadable must be a fraction in [0, 1], got '
                               f'{max_unreadable!r}')
        self.missing_img = missing_img
        self.max_unreadable = max_unreadable
        self.unreadable: set = set()  # paths found undecodable by this process
        self._unreadable_pending: List[str] = []  # skipped since the last sample returned
        super().__init__(*args, **kwargs)

    def _fix_hint(self) -> str:
        return ('Set data_root / ann_file in the config (or --cfg-options '
                'train_dataloader.dataset.data_root=...). For the built-in benchmark run '
                '`python tools/make_synthetic.py --out data/synthetic`.')

    def _read_annotation_file(self) -> dict:
        """The file's JSON, refused with :class:`DatasetError` when missing or not COCO."""
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
        return raw

    def load_data_list(self) -> List[dict]:
        raw = self._read_annotation_file()
        self._check_classes(raw['categories'])
        self._skipped = dict(degenerate_boxes=0, non_finite_boxes=0, clipped_boxes=0,
                             missing_images=0, unknown_categories=check_coco_ids(
                                 raw, self.ann_file))
        if not raw['images']:
            raise DatasetError(f"Annotation file '{self.ann_file}' lists no image: the split is "
                               'empty. Point ann_file at a file with images.')

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
            sk = self._skipped
            logger.warning(
                f"{self.ann_file}: skipped {sk['missing_images']} missing image(s) (excluded from "
                f"training and from evaluation), {sk['degenerate_boxes']} zero-area/inverted/"
                f"outside box(es), {sk['non_finite_boxes']} box(es) with NaN/inf "
                f"coordinates and {sk['unknown_categories']} annotation(s) whose category_id is "
                f"no category of the file; clipped {sk['clipped_boxes']} box(es) to the image.")
        if data_list and not kept:
            raise DatasetError(f"None of the {len(data_list)} images of '{self.ann_file}' exist "
                               f"under '{self.data_prefix.get('img', '')}'. Check data_root and "
                               f'data_prefix. {self._fix_hint()}')
        return kept

    def filter_data(self) -> List[dict]:
        kept = super().filter_data()
        if self.data_list and not kept:
            raise DatasetError(
                f"All {len(self.data_list)} images of '{self.ann_file}' were filtered out by "
                f'filter_cfg={self.filter_cfg} (filter_empty_gt drops images without boxes of the '
                "config's classes; min_size drops smaller images): the split is empty. Check the "
                'classes and the boxes of the file, or relax filter_cfg.')
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
        absent = [k for k in ('file_name', 'width', 'height') if k not in img_info]
        if absent:
            raise DatasetError(f"Image entry id={img_info.get('id')} of '{self.ann_file}' lacks "
                               f'{absent}. Add them (width/height in pixels) or re-create the '
                               'annotation file.')
        data_info = super().parse_data_info(
            dict(raw_data_info, raw_ann_info=[]))  # image fields only; boxes handled below
        width, height = img_info['width'], img_info['height']
        instances = []
        for ann in raw_data_info['raw_ann_info']:
            absent = [k for k in ('bbox', 'category_id') if k not in ann]
            if absent:
                raise DatasetError(f"Annotation id={ann.get('id')} (image id="
                                   f"{ann.get('image_id')}) of '{self.ann_file}' lacks {absent}. "
                                   'Fix or remove it.')
            if ann.get('ignore', False) or ann['category_id'] not in self.cat2label:
                continue
            status, xyxy = check_coco_box(ann['bbox'], width, height)
            if status == MALFORMED:
                raise DatasetError(f"Annotation id={ann.get('id')} of '{self.ann_file}' has bbox "
                                   f"{ann['bbox']!r}; COCO boxes are [x, y, width, height] "
                                   'numbers. Fix or remove it.')
            if status in (DEGENERATE, NON_FINITE):
                key = 'degenerate_boxes' if status == DEGENERATE else 'non_finite_boxes'
                self._skipped[key] += 1
                continue
            self._skipped['clipped_boxes'] += status == CLIPPED
            x1, y1, x2, y2 = xyxy
            instances.append(dict(
                bbox=[x1, y1, x2, y2],
                bbox_label=self.cat2label[ann['category_id']],
                ignore_flag=1 if ann.get('iscrowd', False) else 0))
        data_info['instances'] = instances
        return data_info

    # ------------------------------------------------------------ unreadable images
    def prepare_data(self, idx: int) -> Any:
        try:
            data = super().prepare_data(idx)
        except UnreadableImageError as err:
            if self.test_mode:
                raise
            self._skip_unreadable(err.path)
            return None  # BaseDataset.__getitem__ draws another image
        except AssertionError as err:
            # mmcv's LoadImageFromFile (test pipelines keep it: DetInferencer/mmdeploy need the
            # name) asserts 'failed to load image: PATH' on undecodable bytes
            msg = str(err)
            if not msg.startswith('failed to load image'):
                raise
            raise UnreadableImageError(msg.split(':', 1)[-1].strip(), 'not decodable') from err
        if data is not None:
            self._check_decoded_size(idx, data)
        if data is not None and self._unreadable_pending:
            samples = data.get('data_samples') if isinstance(data, dict) else None
            if samples is not None and hasattr(samples, 'set_metainfo'):
                # counted per epoch by UnreadableImageHook in the main process
                samples.set_metainfo(dict(unreadable_images=list(self._unreadable_pending)))
            self._unreadable_pending = []
        return data

    def _check_decoded_size(self, idx: int, data: Any) -> None:
        """The decoded image must have the file's width and height: its boxes are in that
        frame (a resized copy of the images would put every box in the wrong place)."""
        samples = data.get('data_samples') if isinstance(data, dict) else None
        shape = (samples.metainfo.get('ori_shape') if samples is not None else
                 data.get('ori_shape') if isinstance(data, dict) else None)
        info = self.get_data_info(idx)
        if shape is None or 'height' not in info:
            return
        if tuple(shape[:2]) != (info['height'], info['width']):
            raise DatasetError(
                f"Image '{info['img_path']}' is {shape[1]}x{shape[0]} (W x H) but "
                f"'{self.ann_file}' says {info['width']}x{info['height']} for image id "
                f"{info.get('img_id')}: its boxes would be in the wrong frame. Use the images the "
                'annotation file was made for, or re-create the file from these images.')

    def _skip_unreadable(self, path: str) -> None:
        if path not in self._unreadable_pending:
            self._unreadable_pending.append(path)
        if path not in self.unreadable:
            self.unreadable.add(path)
            print_log(f"Skipping unreadable image '{path}' (corrupt or truncated); another "
                      'image is used in its place.', logger='current', level=logging.WARNING)
        limit = self.unreadable_limit()
        if len(self.unreadable) > limit:
            raise DatasetError(
                f'{len(self.unreadable)} images of {len(self)} in \'{self.ann_file}\' are '
                f'unreadable (more than max_unreadable={self.max_unreadable}), e.g. '
                f'{sorted(self.unreadable)[:3]}. Re-encode or restore them, or raise '
                'max_unreadable in the dataset config.')

    def unreadable_limit(self) -> float:
        """The number of unreadable images allowed in one pass over the split."""
        return self.max_unreadable * len(self)


def find_checked_dataset(dataset: Any) -> Optional[CheckedCocoDataset]:
    """The :class:`CheckedCocoDataset` inside ``dataset`` (itself or wrapped), if any."""
    for _ in range(8):
        if isinstance(dataset, CheckedCocoDataset):
            return dataset
        dataset = getattr(dataset, 'dataset', None)
    return None
