"""The derivations a check needs, kept on disk between processes.

A fresh ``derive check`` spends most of its own time deriving the model (the case
analysis decides a dozen conditions with sympy's assumptions, ~100 ms). The result for a
preset, its bindings and assumptions never changes while the code does not, so it is
pickled once into the user's cache folder and loaded (well under a millisecond) by later
processes.

Safe by construction: the key is the preset's name and the texts of the bindings and
assumptions; the file name carries the package version and a fingerprint of the engine's
and reader's sources (size and modification time), so changed code never reads an old
result; a file is loaded only if it belongs to this user and nobody else can write it
or its folder. Any failure (no folder, read-only disk, a broken file) falls back to
deriving. ``DERIVE_CACHE_DIR`` chooses the folder; ``DERIVE_CACHE_DIR=off`` turns it off.

Bounded: the folder holds at most :data:`MAX_FILES` derivations (a few kB each). Every key
is a new file, and ``derive serve`` takes bindings from anyone, so when the folder is full
the least recently written quarter is removed before another file is written.
"""

import os
import pickle
import stat
import tempfile
import zlib
from pathlib import Path

from .._version import __version__

__all__ = ["MAX_FILES", "cached"]

MAX_FILES = 512        #: derivations kept on disk at most (about 1 MB)

_PACKAGE = Path(__file__).resolve().parent.parent


def _folder():
    chosen = os.environ.get("DERIVE_CACHE_DIR")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "derive"


def _fingerprint():
    # zlib, not hashlib: hashlib's import costs tens of milliseconds where OpenSSL is slow
    # to load, a tenth of the whole check. The key itself is stored and compared on load.
    import sympy  # loaded already: the derivation needs it

    parts = [__version__, sympy.__version__]
    for part in ("engine", "text", "checker"):
        for path in sorted((_PACKAGE / part).glob("*.py")):
            info = path.stat()
            parts.append(f"{path.name}:{info.st_size}:{info.st_mtime_ns}")
    return ";".join(parts)


def _trusted(path):
    """Owned by this user, and neither the file nor its folder writable by others."""
    if not hasattr(os, "getuid"):
        return False
    for item in (path, path.parent):
        info = item.stat()
        if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return False
    return True


def cached(key, compute):
    """``compute()``, or its result for ``key`` (text) from an earlier process."""
    folder = _folder()
    if folder is None:
        return compute()
    try:
        full = f"{_fingerprint()}|{key}"
        name = f"{zlib.crc32(full.encode()):08x}{zlib.adler32(full.encode()):08x}"
        path = folder / f"derivation-{name}.pickle"
        if path.exists() and _trusted(path):
            with open(path, "rb") as handle:
                stored, value = pickle.load(handle)
            if stored == full:
                return value
    except Exception:                                    # noqa: BLE001 - a cache never breaks a check
        pass
    value = compute()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _make_room(folder)
        data = pickle.dumps((full, value))
        with tempfile.NamedTemporaryFile(dir=folder, delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, path)
    except Exception:                                    # noqa: BLE001
        pass
    return value


def _make_room(folder):
    """Keep the folder under :data:`MAX_FILES`: drop the oldest quarter when it is full."""
    entries = [entry for entry in os.scandir(folder) if entry.name.startswith("derivation-")]
    if len(entries) < MAX_FILES:
        return
    entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
    for entry in entries[:max(1, len(entries) // 4)]:
        try:
            os.unlink(entry.path)
        except OSError:
            pass
