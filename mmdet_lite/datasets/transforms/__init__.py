from .checked_load_image_from_file import CheckedLoadImageFromFile

__all__ = ['CheckedLoadImageFromFile']
