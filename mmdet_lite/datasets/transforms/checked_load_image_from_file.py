"""LoadImageFromFile that reports an unreadable image as :class:`UnreadableImageError`."""

from typing import Optional

import mmcv
import mmengine.fileio as fileio
import numpy as np
from mmcv.transforms import LoadImageFromFile
from mmdet.registry import TRANSFORMS

from ..errors import UnreadableImageError

_JPEG_SOI, _JPEG_EOI = b'\xff\xd8', b'\xff\xd9'
_EOI_SEARCH = 1 << 16  # tolerate trailers (padding, maker data) after the end-of-image marker


@TRANSFORMS.register_module()
class CheckedLoadImageFromFile(LoadImageFromFile):
    """:class:`mmcv.transforms.LoadImageFromFile` for training pipelines over real data.

    mmcv's loader fails on an undecodable file with a bare ``AssertionError`` and decodes a
    truncated JPEG silently into a partly grey image. This one raises
    :class:`~mmdet_lite.datasets.UnreadableImageError` naming the file for a missing file, bytes
    that do not decode, and (``check_truncated=True``) a JPEG without its end-of-image marker;
    :class:`~mmdet_lite.datasets.CheckedCocoDataset` then skips the image with a warning and
    draws another one. Test pipelines keep mmcv's ``LoadImageFromFile``: DetInferencer and
    mmdeploy look the loader up by that name.

    Args:
        check_truncated: refuse JPEGs whose last 64 KiB hold no end-of-image marker.
        **kwargs: arguments of :class:`mmcv.transforms.LoadImageFromFile` (``ignore_empty`` is
            not supported: skipping is the dataset's job).
    """

    def __init__(self, check_truncated: bool = True, **kwargs) -> None:
        if kwargs.get('ignore_empty'):
            raise ValueError('CheckedLoadImageFromFile: ignore_empty is not supported; '
                             'CheckedCocoDataset skips unreadable images itself.')
        super().__init__(**kwargs)
        self.check_truncated = check_truncated

    def transform(self, results: dict) -> Optional[dict]:
        path = results['img_path']
        try:
            img_bytes = fileio.get(path, backend_args=self.backend_args)
        except (FileNotFoundError, OSError) as err:
            raise UnreadableImageError(path, f'cannot be read: {err}') from err
        if self.check_truncated and img_bytes[:2] == _JPEG_SOI \
                and _JPEG_EOI not in img_bytes[-_EOI_SEARCH:]:
            raise UnreadableImageError(path, 'truncated JPEG: no end-of-image marker')
        try:
            img = mmcv.imfrombytes(img_bytes, flag=self.color_type, backend=self.imdecode_backend)
        except Exception as err:  # decoders raise their own types (cv2.error, PIL, turbojpeg)
            raise UnreadableImageError(path, f'decoder error: {err}') from err
        if img is None or img.size == 0:
            raise UnreadableImageError(path, 'not a decodable image')
        if self.to_float32:
            img = img.astype(np.float32)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        return results
