"""Errors raised on unusable dataset input; each message names the file and the fix."""


class DatasetError(ValueError):
    """A dataset's files or configuration are unusable; the message says how to fix them."""


class UnreadableImageError(DatasetError):
    """An image file exists but cannot be read or decoded (corrupt, truncated, not an image)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        super().__init__(f"Image '{path}' cannot be decoded ({reason}). Re-encode or restore the "
                         'file, or remove it from the annotation file.')
