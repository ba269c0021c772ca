from .checked_coco_dataset import CheckedCocoDataset, find_checked_dataset
from .errors import DatasetError, UnreadableImageError
from .transforms import CheckedLoadImageFromFile

__all__ = ['CheckedCocoDataset', 'CheckedLoadImageFromFile', 'DatasetError',
           'UnreadableImageError', 'find_checked_dataset']
