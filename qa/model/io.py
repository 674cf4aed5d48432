"""Safe file writes: atomic replacement, originals kept, bytes preserved."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def encode_text(text: str, bom: bool = False) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file."""
    p = Path(path)
    mode = None
    try:
        mode = p.stat().st_mode & 0o7777
    except FileNotFoundError:
        pass
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=str(p.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:  # make the rename durable
        dfd = os.open(str(p.parent), os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def keep_original(path: str | Path, suffix: str = ".orig") -> Path | None:
    """Copy ``path`` to ``path + suffix`` unless that exists already. Returns the copy."""
    p = Path(path)
    backup = p.with_name(p.name + suffix)
    if backup.exists():
        return None
    shutil.copy2(p, backup)
    return backup
