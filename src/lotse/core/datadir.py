"""The data directory is private: 0700 for directories, 0600 for files.

``LOTSE_DATA_DIR`` holds the SQLite database (and its ``-wal``/``-shm`` files), the field keys,
the audit signing key, uploads and mail. Every ``lotse`` process (and the WSGI application)
runs with the umask 077, so what it creates is readable by the service user only; files that
exist already (an install from before, a copy) are tightened when Lotse opens them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

PRIVATE_UMASK = 0o077
DIR_MODE = 0o700
FILE_MODE = 0o600
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def use_private_umask() -> None:
    """Files and directories this process creates are for its user only."""
    os.umask(PRIVATE_UMASK)


def make_private(path: Path) -> None:
    """Remove group and other permissions from ``path`` if it exists and is ours."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid():
        return
    wanted = DIR_MODE if stat.S_ISDIR(info.st_mode) else FILE_MODE
    if stat.S_IMODE(info.st_mode) & 0o077:
        path.chmod(stat.S_IMODE(info.st_mode) & wanted)


def ensure_data_dir(data_dir: Path) -> None:
    """Create the data directory 0700, or tighten an existing one."""
    data_dir.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    make_private(data_dir)


def secure_sqlite_files(database: str | os.PathLike[str]) -> None:
    """Tighten the SQLite file and its companions (the ``-wal``/``-shm`` files inherit the
    database file's mode when SQLite creates them)."""
    name = str(database)
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for suffix in SQLITE_SUFFIXES:
        make_private(Path(name + suffix))


def on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: a SQLite database file is always 0600."""
    if connection.vendor == "sqlite":
        secure_sqlite_files(connection.settings_dict.get("NAME") or "")
