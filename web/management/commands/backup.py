"""`manage.py backup` (make backup): the database and the media files into one directory (web.backup)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from web import backup


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup or pg_dump) and the media files."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default=str(Path(settings.VAR_DIR) / "backups"))

    def handle(self, *args, output_dir: str, **options):
        try:
            target = backup.backup(Path(output_dir))
        except (backup.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:  # pg_dump's failure, with its own message
            raise CommandError(f"backup failed: {getattr(exc, 'stderr', b'') or exc}") from exc
        self.stdout.write(str(target))
