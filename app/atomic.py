"""Writing files so that a failure leaves no partial file and never clobbers a good one.

A file is written to a hidden temporary name in the target's folder, flushed to disk and
then renamed into place. Temporary files are created with mode 0o666, which the kernel
narrows by the process's umask, so nothing here changes the process-wide umask (unsafe
while background jobs run).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from app.errors import UserFacingError


def write_beside(target: Path, content: bytes, *, mode: int | None = None) -> Path:
    """Write `content` to a new temporary file in `target`'s folder and return its path.

    The caller renames it into place (`os.replace`) or removes it. On any failure the
    temporary file is removed and a `UserFacingError` says why.
    """
    folder = target.resolve().parent
    if not folder.is_dir():
        raise UserFacingError(f"the folder {folder} does not exist; create it first")
    temporary = folder / f".{target.name}.{secrets.token_hex(6)}.part"
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise UserFacingError(f"cannot write in {folder}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
    except OSError as exc:
        remove_quietly(temporary)
        raise UserFacingError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        remove_quietly(temporary)
        raise
    return temporary


def write_atomically(path: Path, content: bytes) -> None:
    """Write `content` to `path` through a temporary file in the same folder.

    Only a regular file is replaced (never a device, link or folder); a replaced file keeps
    its permissions, a new one gets the user's default ones.
    """
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise UserFacingError(f"{path} exists and is not a regular file; choose another name")
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    temporary = write_beside(path, content, mode=mode)
    try:
        os.replace(temporary, path)
    except OSError as exc:
        remove_quietly(temporary)
        raise UserFacingError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        remove_quietly(temporary)
        raise


def remove_quietly(path: Path) -> None:
    """Remove `path` if it is still there; a file that cannot be removed is left."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
