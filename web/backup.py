"""Backups of a whole install: the database and the media files (hardening issue, operations).

`make backup` / `manage.py backup` writes one directory per backup:
  database.sqlite3   embedded mode: SQLite's online backup API (consistent while web and workers write)
  database.pgdump    PostgreSQL: pg_dump in its custom format (restored with pg_restore)
  media.tar.gz       every file under MEDIA_ROOT (attachments)
  manifest.json      what was backed up, when, from which engine
`make restore BACKUP=...` / `manage.py restore` puts both back. django-dbbackup was considered: its SQLite
connector dumps SQL text rather than using the online backup API, and it adds configuration for what two
small functions do here.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA_FILE = "media.tar.gz"


class BackupError(Exception):
    pass


def _engine(alias: str = "default") -> str:
    engine = connections[alias].settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine or "postgis" in engine:
        return "postgresql"
    raise BackupError(f"no backup method for the database engine {engine}")


def _pg_env_and_args(alias: str = "default") -> tuple[dict[str, str], list[str]]:
    conf = connections[alias].settings_dict
    env = dict(os.environ)
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if conf.get(key):
            args += [flag, str(conf[key])]
    return env, [*args, "--dbname", conf["NAME"]]


def _raw_sqlite(alias: str = "default") -> sqlite3.Connection:
    connection = connections[alias]
    connection.ensure_connection()
    return connection.connection


def backup(output_dir: Path, *, alias: str = "default") -> Path:
    """Write a backup directory under output_dir; answer its path."""
    engine = _engine(alias)
    target = Path(output_dir) / f"tingjian-{timezone.now():%Y%m%d-%H%M%S-%f}"
    target.mkdir(parents=True, mode=0o700)
    if engine == "sqlite":
        destination = sqlite3.connect(target / SQLITE_FILE)
        try:
            _raw_sqlite(alias).backup(destination)
        finally:
            destination.close()
    else:
        env, args = _pg_env_and_args(alias)
        subprocess.run(  # noqa: S603 - arguments from settings
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(target / PG_FILE), *args],  # noqa: S607 - PostgreSQL client from PATH
            env=env,
            check=True,
            capture_output=True,
        )
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(target / MEDIA_FILE, "w:gz") as archive:
        if media_root.is_dir():
            archive.add(media_root, arcname=".")
    manifest = {"created": timezone.now().isoformat(), "engine": engine, "media_root": str(media_root)}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    for path in target.iterdir():
        path.chmod(0o600)
    return target


def restore(source: Path, *, alias: str = "default") -> dict:
    """Replace the database and the media files with the backup in `source`."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(f"{source} is not a backup directory (no {MANIFEST})") from exc
    engine = _engine(alias)
    if manifest["engine"] != engine:
        raise BackupError(f"the backup is of a {manifest['engine']} database; this install uses {engine}")
    if engine == "sqlite":
        backup_db = sqlite3.connect(source / SQLITE_FILE)
        try:
            # The online backup API in the other direction: the live database becomes a copy of the file.
            backup_db.backup(_raw_sqlite(alias))
        finally:
            backup_db.close()
    else:
        connections[alias].close()
        env, args = _pg_env_and_args(alias)
        options = ["--clean", "--if-exists", "--no-owner", "--single-transaction"]
        subprocess.run(  # noqa: S603 - arguments from settings
            ["pg_restore", *options, *args, str(source / PG_FILE)],  # noqa: S607 - PostgreSQL client from PATH
            env=env,
            check=True,
            capture_output=True,
        )
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir():
        for child in media_root.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    media_root.mkdir(parents=True, exist_ok=True, mode=0o750)
    with tarfile.open(source / MEDIA_FILE, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    return manifest
