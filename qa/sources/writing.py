"""The one write path: every file copydesk writes for the user goes through
:func:`write_file` — ``fix --in-place``, a review save, bilingual files,
``--output`` of ``audit`` and ``glossary``, review records, a glossary that
learns a form, and any later front end (HTTP service, language server).

What it guarantees (``tests/test_sources.py``):

- a **regular file** is replaced atomically (a temporary file in the same
  folder, fsync, rename), so a crash leaves the old or the new bytes, never a
  mix; its permission bits are kept;
- a **symbolic link** stays a link: the file it points to is rewritten (and
  its ``.orig`` copy sits beside that file);
- a **device, FIFO or ``/dev/stdout``** (anything that is not a regular file)
  is written through, never replaced by a regular file: ``-o /dev/null``,
  ``-o /dev/stdout`` and ``-o fifo`` work, ``-o /dev/full`` fails with
  ``OSError`` (ENOSPC) and leaves the device alone;
- ``backup=True`` keeps the first original as ``PATH.orig`` (never overwritten
  by a later save, so the machine output survives several rounds of fixes).

Written here rather than taken from a library: the atomic-rename packages on
PyPI (``atomicwrites`` is archived) neither follow links nor write through to
devices, which is the part that matters here.
"""
from __future__ import annotations

import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["write_file", "keep_original", "Written", "ORIG_SUFFIX"]

ORIG_SUFFIX = ".orig"


@dataclass(frozen=True)
class Written:
    """What :func:`write_file` did: the path written (a link's target) and the
    copy of the original it made (``None``: no backup asked, or one existed)."""

    path: Path
    original: Path | None = None


def _is_stream(path: Path) -> bool:
    """A path that must be written through instead of replaced: anything that
    exists and is not a regular file (character/block device, FIFO, socket),
    and the file-descriptor aliases ``/dev/stdout``, ``/dev/fd/N``,
    ``/proc/self/fd/N`` (replacing what they resolve to would cut the file
    from the descriptor the shell opened)."""
    absolute = os.path.abspath(path)
    if absolute.startswith(("/dev/", "/proc/")):
        return True
    try:
        st = os.stat(path)  # follows links: a link to a FIFO is a FIFO
    except FileNotFoundError:
        return False
    return not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode)


def write_file(path: str | Path, data: bytes, *, backup: bool = False) -> Written:
    """Write ``data`` to ``path`` (see the module docstring for what is kept).
    Raises ``OSError``
    (an unwritable folder, a full device, a directory) with the old file
    untouched."""
    p = Path(path)
    if _is_stream(p):
        with open(p, "wb", buffering=0) as fh:  # a device ignores truncation; a FIFO needs a reader
            view = memoryview(data)
            while view:
                n = fh.write(view)
                view = view[n:]
        return Written(p)
    target = Path(os.path.realpath(p))
    if target.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(p))
    original = keep_original(target) if backup and target.exists() else None
    _atomic_replace(target, data)
    return Written(target, original)


def keep_original(path: str | Path, suffix: str = ORIG_SUFFIX) -> Path | None:
    """Copy ``path`` to ``path + suffix`` unless that exists already. Returns the copy."""
    p = Path(path)
    backup = p.with_name(p.name + suffix)
    if backup.exists():
        return None
    shutil.copy2(p, backup)
    return backup


def _atomic_replace(target: Path, data: bytes) -> None:
    mode = None
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        pass
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=str(target.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:  # a new file gets the usual mode (mkstemp makes it 0600)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:  # make the rename durable
        dfd = os.open(str(target.parent), os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass
