"""Files the user names, read safely: a regular file only, under a size limit per kind.

A FIFO, a device (such as /dev/zero), a socket or a directory is refused at once, without
waiting for a writer or reading a byte; a file larger than its kind's limit is refused from
its size, and a file that grows while it is read is refused once it passes the limit, so
memory stays bounded whatever the path names. The limits are documented in
docs/input-limits.md.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from app.errors import UserFacingError

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


class InputKind(StrEnum):
    """The kinds of file the program reads; each has its own size limit."""

    CHECKLIST = "checklist"
    ANSWERS = "answers file"
    LOG = "query log"
    EVIDENCE = "evidence file"
    PASSPHRASE = "passphrase file"
    PDF = "PDF"
    KEY = "key file"


SIZE_LIMITS: dict[InputKind, int] = {
    InputKind.CHECKLIST: 16 * MIB,
    InputKind.ANSWERS: 16 * MIB,
    InputKind.LOG: 64 * GIB,
    InputKind.EVIDENCE: 256 * MIB,
    InputKind.PASSPHRASE: 4 * KIB,
    InputKind.PDF: 256 * MIB,
    InputKind.KEY: 1 * MIB,
}
"""The largest file accepted of each kind, in bytes."""

_CHUNK = 1 << 20


class InputRefused(UserFacingError):
    """A file that is not a regular file, cannot be opened, or is too large."""


def size_text(size: int) -> str:
    """A byte count in words: 4 KiB, 16 MiB, 64 GiB, or bytes below 1 KiB."""
    for unit, name in ((GIB, "GiB"), (MIB, "MiB"), (KIB, "KiB")):
        if size >= unit:
            value = size / unit
            return f"{value:.0f} {name}" if value.is_integer() else f"{value:.1f} {name}"
    return f"{size} bytes"


def _too_large(path: Path, kind: InputKind, size: int | None) -> InputRefused:
    limit = SIZE_LIMITS[kind]
    actual = f"is {size_text(size)}" if size is not None else "grew while it was read"
    return InputRefused(f"{kind} {path} {actual}; a {kind} may be at most {size_text(limit)}. "
                        "Fix: give the right file, or split it")


def _kind_of_mode(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


@contextmanager
def open_input(path: str | Path, kind: InputKind) -> Iterator[tuple[BinaryIO, int]]:
    """Open `path` for reading as a `kind`: yields the binary stream and the file's size.

    Raises InputRefused (exit 2) at once for a missing or unreadable path, a FIFO, a
    device, a socket or a directory, and for a file over the kind's size limit.
    """
    path = Path(path)
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer.
        handle = os.open(path, flags)
    except OSError as exc:
        raise _open_error(path, kind, exc) from None
    try:
        info = os.fstat(handle)
        what = _kind_of_mode(info.st_mode)
        if what is not None:
            raise InputRefused(f"{kind} {path} is {what}, not a file. Fix: give the "
                               f"{kind} itself (a regular file)")
        if info.st_size > SIZE_LIMITS[kind]:
            raise _too_large(path, kind, info.st_size)
        current = fcntl.fcntl(handle, fcntl.F_GETFL)
        fcntl.fcntl(handle, fcntl.F_SETFL, current & ~os.O_NONBLOCK)
        stream = os.fdopen(handle, "rb")
    except BaseException:
        os.close(handle)
        raise
    with stream:
        yield stream, info.st_size


def _open_error(path: Path, kind: InputKind, exc: OSError) -> InputRefused:
    if exc.errno == errno.ENOENT:
        return InputRefused(f"{kind} {path} does not exist. Fix: check the path")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputRefused(f"{kind} {path} cannot be read (permission denied). Fix: make "
                            "the file readable by your user")
    if exc.errno == errno.EISDIR:
        return InputRefused(f"{kind} {path} is a directory, not a file. Fix: give the "
                            f"{kind} itself")
    if exc.errno == errno.ENAMETOOLONG:
        return InputRefused(f"{kind} path is too long. Fix: give a shorter path")
    if exc.errno == errno.ENOTDIR:
        return InputRefused(f"{kind} {path}: a part of the path is not a directory. "
                            "Fix: check the path")
    if exc.errno == errno.ELOOP:
        return InputRefused(f"{kind} {path}: too many symbolic links. Fix: check the path")
    return InputRefused(f"{kind} {path} cannot be opened: {exc.strerror or exc}. Fix: "
                        "check the path and its permissions")


def read_chunks(stream: BinaryIO, path: str | Path, kind: InputKind) -> Iterator[bytes]:
    """The stream's bytes in chunks, refusing once more than the kind's limit was read."""
    limit = SIZE_LIMITS[kind]
    total = 0
    try:
        while chunk := stream.read(_CHUNK):
            total += len(chunk)
            if total > limit:
                raise _too_large(Path(path), kind, None)
            yield chunk
    except OSError as exc:
        raise InputRefused(f"{kind} {path} could not be read: {exc.strerror or exc}. Fix: "
                           "check the file and its permissions") from None


def read_input(path: str | Path, kind: InputKind) -> bytes:
    """The bytes of the regular file at `path`, read as a `kind` (see open_input)."""
    with open_input(path, kind) as (stream, _size):
        return b"".join(read_chunks(stream, path, kind))


def read_input_text(path: str | Path, kind: InputKind) -> str:
    """The UTF-8 text of the file at `path`; bytes that are not UTF-8 are refused with
    the line where they start."""
    data = read_input(path, kind)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputRefused(f"{kind} {path}:{line} is not UTF-8 text. Fix: save it as "
                           "UTF-8") from None
