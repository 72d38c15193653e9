from django.core.management.base import BaseCommand, CommandError

from civil_affairs.backups import services
from civil_affairs.backups.models import Backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump, custom format) and the uploaded files now."

    def handle(self, *args: object, **options: object) -> None:
        backup = services.backup_make()
        if backup.status != Backup.Status.DONE:
            raise CommandError(f"backup failed: {backup.error}")
        self.stdout.write(f"{backup.database_file} ({backup.size_bytes} bytes)")
        if backup.media_file:
            self.stdout.write(backup.media_file)
