"""`manage.py restore <dir>` (make restore): replace the database and the media files with a backup."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from web import backup


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup`: the database and the media files are replaced."

    def add_arguments(self, parser):
        parser.add_argument("source")
        parser.add_argument("--noinput", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, source: str, noinput: bool = False, **options):
        if not noinput:
            answer = input(f"Replace this install's database and media files with {source}? [y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("restore cancelled")
        try:
            manifest = backup.restore(Path(source))
        except (backup.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:  # pg_restore's failure, with its own message
            raise CommandError(f"restore failed: {getattr(exc, 'stderr', b'') or exc}") from exc
        self.stdout.write(f"restored {source} (made {manifest['created']})")
