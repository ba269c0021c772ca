"""Checks of a config against itself, before anything is built."""

from typing import Iterator, Optional, Sequence, Tuple

from mmengine.config import Config

from ..datasets.errors import DatasetError


def _num_classes(node: object, path: str) -> Iterator[Tuple[str, int]]:
    """``(key path, value)`` of every ``num_classes`` in a model config (teacher included)."""
    if isinstance(node, dict):
        for key, value in node.items():
            sub = f'{path}.{key}'
            if key == 'num_classes' and isinstance(value, int):
                yield sub, value
            else:
                yield from _num_classes(value, sub)
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _num_classes(value, f'{path}.{i}')


def dataset_classes_of(cfg: Config,
                       loaders: Sequence[str] = ('train_dataloader', 'val_dataloader',
                                                 'test_dataloader')) -> Optional[tuple]:
    """The classes the first of ``loaders`` names in its dataset's ``metainfo`` (through dataset
    wrappers), else its dataset class's ``METAINFO``; None if no loader is configured."""
    from mmdet.registry import DATASETS
    for loader in loaders:
        ds = cfg.get(loader, {}).get('dataset') if cfg.get(loader) else None
        while isinstance(ds, dict):
            classes = (ds.get('metainfo') or {}).get('classes')
            if classes:
                return tuple(classes)
            if isinstance(ds.get('dataset'), dict):
                ds = ds['dataset']
                continue
            try:
                meta = getattr(DATASETS.get(ds.get('type', '')), 'METAINFO', {}) or {}
            except KeyError:
                meta = {}
            if meta.get('classes'):
                return tuple(meta['classes'])
            break
    return None


def check_num_classes(cfg: Config) -> None:
    """Every ``num_classes`` of the model must be the number of classes of its data; otherwise
    training fails deep in a head's target code (or a label indexes past the scores), and a
    class-weights hook sets weights of the wrong length. Raises :class:`DatasetError` naming the
    key to change."""
    classes = dataset_classes_of(cfg)
    if classes is None:
        return
    wrong = [(k, n) for k, n in _num_classes(cfg.get('model', {}), 'model') if n != len(classes)]
    if wrong:
        key, n = wrong[0]
        raise DatasetError(
            f'{key} = {n}, but the data set has {len(classes)} classes {list(classes)}: set '
            f'{key}={len(classes)} in the config (or --cfg-options {key}={len(classes)}), or '
            'the dataset metainfo.classes to the classes the model predicts.')


__all__ = ['check_num_classes', 'dataset_classes_of']
