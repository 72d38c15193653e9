from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from civil_affairs.backups import services


class Command(BaseCommand):
    help = (
        "Restore a backup into an existing EMPTY database: "
        "restore_backup var/backups/civil_affairs-….dump --into postgresql://user@host/newdb "
        "[--media var/backups/media-….tar.gz --media-root var/media]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dump", type=Path)
        parser.add_argument("--into", required=True, help="URL of the empty target database")
        parser.add_argument("--media", type=Path, help="the media archive of the same backup")
        parser.add_argument("--media-root", type=Path, help="where to unpack the media archive")

    def handle(self, *args: object, **options: Any) -> None:
        try:
            services.backup_restore(
                dump=Path(options["dump"]),
                into=dict(dj_database_url.parse(options["into"])),
                media=Path(options["media"]) if options["media"] else None,
                media_root=Path(options["media_root"]) if options["media_root"] else None,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"restored {options['dump']}"))
