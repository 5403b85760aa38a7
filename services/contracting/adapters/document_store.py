"""Where documents' bytes live: a content-addressed directory, written durably before any metadata points to it.

A file is stored under its SHA-256 (``ab/cd/abcd…``), so nothing is ever overwritten (the same bytes are the same
file; a new version is another hash) and a download can be checked against the hash the platform states. A write
goes to a temporary file in the same directory tree, is fsync'ed, then renamed into place and its directory
fsync'ed: once ``put`` returns, the bytes survive a crash, so the metadata committed next never points to a
missing file. A crash before the commit leaves a file nothing points to; ``sweep`` removes those once they are
older than a grace period (an upload in flight is never swept).

One small interface (``put``, ``open``, ``exists``, ``sweep``): an S3-compatible backend would implement the same.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024


class TooLarge(ValueError):
    """The stream went past the limit; nothing was kept."""


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int


class DocumentStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.incoming = self.root / "incoming"

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, stream: BinaryIO, max_bytes: int) -> StoredFile:
        """Store the stream's bytes durably (hashing them on the way) and return their hash and size."""
        self.incoming.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        temporary = self.incoming / f"{os.getpid()}-{time.monotonic_ns()}.part"
        try:
            with temporary.open("xb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(f"the file is over the limit of {max_bytes} bytes")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            final = self.path(digest.hexdigest())
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.exists():
                temporary.unlink()  # the same bytes are stored already
            else:
                os.replace(temporary, final)
                _fsync_directory(final.parent)
            return StoredFile(digest.hexdigest(), size)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def sweep(self, referenced: Iterable[str], older_than_seconds: float = 3600) -> list[str]:
        """Remove stored files no document points to and left-over partial writes, older than the grace period."""
        keep, cutoff, removed = set(referenced), time.time() - older_than_seconds, []
        for path in self.root.glob("*/*/*"):
            if path.is_file() and path.name not in keep and path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path.name)
        for path in self.incoming.glob("*.part") if self.incoming.exists() else ():
            if path.stat().st_mtime < cutoff:
                path.unlink()
        return removed


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
