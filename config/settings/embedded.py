"""Settings for an office's own machine, what `make run` leaves running (the default of config.entry).

DEBUG is off: visitors see the product's own 404/500 pages, never Django's technical pages. The secret
key comes from DJANGO_SECRET_KEY or is generated on first start and kept in var/secret_key (0600), so it
survives restarts and is never a key published in the source. Everything else is the embedded default
of base.py: SQLite, the filesystem broker and email files under var/. Served by gunicorn on 127.0.0.1
unless TINGJIAN_BIND says otherwise (Procfile).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from .base import *  # noqa: F403
from .base import SECRET_KEY, VAR_DIR, _bool


def secret_key_from_file(path: Path) -> str:
    """Read the key kept at `path`, creating it on first use.

    web, worker and beat start together: the key is written to a private temporary file and linked into
    place, so exactly one process creates it and the others read the whole of it.
    """
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(60))
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass  # another process won the race: use its key
    finally:
        tmp.unlink()
    return path.read_text(encoding="ascii").strip()


# Files this install writes under var/ (the database with residents' phones, mail, backups) are for the
# service's user and group only: umask 027 for every process started with these settings.
os.umask(0o027)

DEBUG = _bool("DJANGO_DEBUG", False)
SECRET_KEY = SECRET_KEY or secret_key_from_file(VAR_DIR / "secret_key")
