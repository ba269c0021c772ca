from .checked_coco_dataset import CheckedCocoDataset, DatasetError

__all__ = ['CheckedCocoDataset', 'DatasetError']
