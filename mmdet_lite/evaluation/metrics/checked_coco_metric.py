"""COCO metric that scores exactly what CheckedCocoDataset loaded, with labels mapped by name."""

import contextlib
import io
from typing import Dict, List, Sequence

import numpy as np
from mmdet.datasets.api_wrappers import COCOeval
from mmdet.evaluation import CocoMetric
from mmdet.registry import METRICS
from mmengine.fileio import load
from mmengine.logging import MMLogger

from mmdet_lite.datasets.coco_box import CLIPPED, OK, check_coco_box
from mmdet_lite.datasets.errors import DatasetError


class NonFiniteOutputError(ValueError):
    """The model predicted NaN or inf scores or boxes: no metric is computed from them."""


def check_finite_predictions(results: list) -> None:
    """Raise :class:`NonFiniteOutputError` if any prediction row (score or box) is NaN/inf.

    mmdet would score such rows as misses and report a low mAP with exit code 0: a diverged
    model would look merely weak. The message counts the rows and images, and names the epoch
    when a training run validates."""
    rows, images, first = 0, 0, None
    for _, res in results:
        scores = np.asarray(res.get('scores', ()), dtype=np.float64).reshape(-1)
        boxes = np.asarray(res.get('bboxes', ()), dtype=np.float64).reshape(len(scores), -1)
        ok = np.isfinite(scores) & np.isfinite(boxes).all(axis=-1)
        if not ok.all():
            rows += int((~ok).sum())
            images += 1
            first = res['img_id'] if first is None else first
    if not rows:
        return
    from mmengine.logging import MessageHub
    epoch = MessageHub.get_current_instance().get_info('epoch')
    when = f' after epoch {epoch}' if epoch else ''
    raise NonFiniteOutputError(
        f'{rows} predicted score(s)/box(es) in {images} of {len(results)} images are NaN or inf'
        f'{when} (first: image id {first}): the model has diverged, so no mAP is reported. Train '
        'again from an earlier checkpoint with a lower learning rate or gradient clipping '
        '(optim_wrapper.clip_grad=dict(max_norm=35)), or check the checkpoint.')


@METRICS.register_module()
class CheckedCocoMetric(CocoMetric):
    """:class:`mmdet.evaluation.CocoMetric` made consistent with
    :class:`~mmdet_lite.datasets.CheckedCocoDataset` by construction.

    mmdet's metric has four silent disagreements with a dataset that validates its input:

    - label ``i`` is scored as the ``i``-th config class *in the annotation file's category
      order*; the dataset maps by name in the config's order. Here ``cat_ids`` follow the
      config's class order by name, so a file listing its categories in any order, with any ids,
      is scored right (otherwise classes are swapped and mAP is wrong with exit code 0);
    - it scores every image of the file, so images the dataset skipped (missing on disk) count as
      missed objects. Here only the images the dataset delivered (those in the results) are
      scored, and the log says how many of the file were left out;
    - it scores NaN/inf predictions as misses: a diverged model reports a low mAP with exit code
      0. Here any non-finite score or box raises :class:`NonFiniteOutputError` instead;
    - it keeps boxes the dataset dropped (NaN/inf coordinates, zero-area or outside the image),
      which no prediction can match. Here they leave the ground truth under the same rule
      (:func:`~mmdet_lite.datasets.coco_box.check_coco_box`).

    With ``classwise=True`` the results also hold each class's AP@0.5 (``<class>_AP50``, at the
    largest ``proposal_nums``, as the ``mAP_50`` column of mmdet's per-class table, which mmdet
    only logs) beside mmdet's ``<class>_precision`` (AP@[.5:.95]).

    Arguments are those of :class:`mmdet.evaluation.CocoMetric`; ``ann_file`` is required.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self._coco_api is None:
            raise DatasetError('CheckedCocoMetric needs ann_file (the annotation file of the '
                               'evaluated split); set val_evaluator.ann_file.')
        self._dropped_boxes = self._drop_unusable_boxes()

    def _drop_unusable_boxes(self) -> int:
        api = self._coco_api
        keep, dropped = [], 0
        for ann in api.dataset.get('annotations', []):
            img = api.imgs.get(ann.get('image_id'), {})
            status, _ = check_coco_box(ann.get('bbox'), img.get('width', 0),
                                       img.get('height', 0))
            if status in (OK, CLIPPED):
                keep.append(ann)
            else:
                dropped += 1
        if dropped:
            api.dataset['annotations'] = keep
            api.createIndex()
        return dropped

    def _cat_ids_by_name(self) -> List[int]:
        cats = self._coco_api.dataset.get('categories', [])
        ids: Dict[str, List[int]] = {}
        for cat in cats:
            ids.setdefault(cat.get('name'), []).append(cat['id'])
        classes = list(self.dataset_meta['classes'])
        absent = [c for c in classes if c not in ids]
        twice = [c for c in classes if len(ids.get(c, ())) > 1]
        if absent or twice:
            raise DatasetError(
                f'Evaluation annotation file: classes {absent} of the config are not among its '
                f'categories {list(ids)}' if absent else
                f'Evaluation annotation file: category names {twice} appear more than once; '
                'names must be unique to map labels to categories.')
        return [ids[c][0] for c in classes]

    def compute_metrics(self, results: list) -> Dict[str, float]:
        logger = MMLogger.get_current_instance()
        self.cat_ids = self._cat_ids_by_name()
        check_finite_predictions(results)
        evaluated: Sequence[int] = sorted({gt['img_id'] for gt, _ in results})
        unknown = [i for i in evaluated if i not in self._coco_api.imgs]
        if unknown:
            raise DatasetError(
                f'Images {unknown[:5]} were evaluated but are not in the metric\'s annotation '
                'file; val_evaluator.ann_file must be the val dataset\'s ann_file.')
        self.img_ids = list(evaluated)
        left_out = len(self._coco_api.imgs) - len(evaluated)
        if left_out or self._dropped_boxes:
            logger.warning(
                f'COCO metric: scoring {len(evaluated)} image(s); {left_out} image(s) of the '
                'annotation file were not delivered by the dataset (missing or unreadable) and '
                f'are excluded, as are {self._dropped_boxes} ground-truth box(es) with NaN/inf, '
                'zero-area or outside coordinates.')
        self._bbox_results = None
        out = super().compute_metrics(results)
        if self.classwise and 'bbox' in self.metrics and self._bbox_results:
            out.update(self._ap50_per_class(self._bbox_results))
        return out

    def results2json(self, results: Sequence[dict], outfile_prefix: str) -> Dict[str, str]:
        files = super().results2json(results, outfile_prefix)
        if 'bbox' in files:  # kept for the per-class AP@0.5 (the file may be temporary)
            self._bbox_results = load(files['bbox'])
        return files

    def _ap50_per_class(self, predictions: list) -> Dict[str, float]:
        """AP@0.5 of each class: the same COCOeval setting as the metric's own."""
        coco_eval = COCOeval(self._coco_api, self._coco_api.loadRes(predictions), 'bbox')
        coco_eval.params.catIds = self.cat_ids
        coco_eval.params.imgIds = self.img_ids
        coco_eval.params.maxDets = list(self.proposal_nums)
        coco_eval.params.iouThrs = self.iou_thrs
        with contextlib.redirect_stdout(io.StringIO()):  # pycocotools prints its progress
            coco_eval.evaluate()
            coco_eval.accumulate()
        at50 = int(np.argmin(np.abs(np.asarray(self.iou_thrs) - 0.5)))
        out = {}
        for k, name in enumerate(self.dataset_meta['classes']):
            precision = coco_eval.eval['precision'][at50, :, k, 0, -1]
            precision = precision[precision > -1]
            out[f'{name}_AP50'] = float(precision.mean()) if precision.size else float('nan')
        return out
