"""The source layer on its own: the one write path (qa.sources.writing) and reading articles."""
from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from qa.sources.items import InputError, decode, write_back
from qa.sources.writing import write_file


def test_a_regular_file_is_replaced_atomically_with_its_mode(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(b"old")
    f.chmod(0o640)
    ino = f.stat().st_ino
    w = write_file(f, b"new bytes")
    assert f.read_bytes() == b"new bytes"
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    assert f.stat().st_ino != ino  # renamed over, not rewritten in place
    assert w.path == f and w.original is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no temporary left


def test_a_new_file_gets_the_umask_mode_not_0600(tmp_path):
    old = os.umask(0o022)
    try:
        write_file(tmp_path / "new.txt", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644


def test_backup_keeps_the_first_original_only(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(b"machine output")
    assert write_back(f, b"first fix").original == tmp_path / "a.txt.orig"
    assert write_back(f, b"second fix").original is None
    assert (tmp_path / "a.txt.orig").read_bytes() == b"machine output"
    assert f.read_bytes() == b"second fix"
    write_back(f, b"third", backup=False)
    assert (tmp_path / "a.txt.orig").read_bytes() == b"machine output"


def test_a_symlink_stays_a_link_and_its_target_is_rewritten(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "a.txt"
    target.write_bytes(b"old")
    target.chmod(0o600)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    w = write_back(link, b"new")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() == b"new" and w.path == target
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert (tmp_path / "real" / "a.txt.orig").read_bytes() == b"old"  # beside the target, not the link
    assert not (tmp_path / "link.txt.orig").exists()


def test_a_fifo_is_written_through_not_replaced(tmp_path):
    fifo = tmp_path / "report"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_file(fifo, b"through the pipe\n")
    reader.join(10)
    assert got == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_symlink_to_a_fifo_is_written_through(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out"
    link.symlink_to(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_file(link, b"x")
    reader.join(10)
    assert got == [b"x"] and link.is_symlink() and stat.S_ISFIFO(fifo.stat().st_mode)


def test_dev_null_is_written_through_and_stays_a_device():
    write_file("/dev/null", b"discarded")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_a_full_device_is_an_oserror_and_stays_a_device():
    with pytest.raises(OSError):
        write_file("/dev/full", b"no room")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(OSError):
        write_file(tmp_path, b"x")
    assert tmp_path.is_dir()


def test_a_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    f = tmp_path / "a.txt"
    f.write_bytes(b"old")

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_file(f, b"new")
    monkeypatch.undo()
    assert f.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


@pytest.mark.parametrize("raw,text,enc,bom", [
    (b"plain", "plain", "utf-8", False),
    (b"\xef\xbb\xbfbom", "bom", "utf-8", True),
    ("le".encode("utf-16-le"), None, None, None),  # NUL in every other byte, no BOM: refused
    (b"\xff\xfe" + "Koeleba".encode("utf-16-le"), "Koeleba", "utf-16-le", True),
    (b"\xfe\xff" + "Koeleba".encode("utf-16-be"), "Koeleba", "utf-16-be", True),
])
def test_decode_and_encode_round_trip(raw, text, enc, bom):
    if text is None:
        with pytest.raises(InputError):
            decode(raw)
        return
    art = decode(raw)
    assert (art.text, art.encoding, art.bom) == (text, enc, bom)
    assert art.encode() == raw


def test_audit_output_to_a_device_or_fifo_writes_through(tmp_path, capsys):
    from qa.cli.main import main

    art = tmp_path / "a.txt"
    art.write_text("The the minister spoke.\n", encoding="utf-8")
    assert main(["audit", "--no-config", "-f", "json", "-o", "/dev/null", str(art)]) in (0, 1)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    main(["audit", "--no-config", "-f", "json", "-o", str(fifo), str(art)])
    reader.join(30)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert b'"schema": "copydesk.check/1"' in got[0]
