"""Safe file writes: atomic replacement, originals kept, bytes preserved."""
from __future__ import annotations

import os
import re
import shutil
import stat
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


# names of an already open descriptor: written through even when it is a regular file
_FD_PATH = re.compile(r"/(?:dev/(?:stdout|stderr|fd/\d+)|proc/(?:self|\d+)/fd/\d+)")


def write_output(path: str | Path, data: bytes) -> None:
    """Write a report to ``path`` (``--output``). A regular file, or a new one, is
    replaced atomically (through a symlink: its target, the link stays). Anything
    else (a device such as ``/dev/null`` or ``/dev/full``, a FIFO, ``/dev/stdout``)
    is written through and never replaced: an atomic rename would put a regular
    file in its place, and an unprivileged user cannot create files in ``/dev``."""
    p = os.fspath(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, "Is a directory", p)
    if st is not None and (not stat.S_ISREG(st.st_mode) or _FD_PATH.fullmatch(p)):
        fd = os.open(p, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "wb") as fh:  # a short write or ENOSPC (/dev/full) raises here
            fh.write(data)
        return
    atomic_write_bytes(os.path.realpath(p) if os.path.islink(p) else p, data)


def keep_original(path: str | Path, suffix: str = ".orig") -> Path | None:
    """Copy ``path`` to ``path + suffix`` unless that exists already. Returns the copy."""
    p = Path(path)
    backup = p.with_name(p.name + suffix)
    if backup.exists():
        return None
    shutil.copy2(p, backup)
    return backup
