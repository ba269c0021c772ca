"""The SHA-256 of a file, read in blocks (checkpoints and ONNX files run to hundreds of MB)."""


def file_sha256(path: str) -> str:
    """Hex SHA-256 of the file at ``path``."""
    import hashlib
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


__all__ = ['file_sha256']
