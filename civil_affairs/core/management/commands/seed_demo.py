import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from civil_affairs.core import demo


class Command(BaseCommand):
    help = "Load demo areas, users for every role and demo cases. Safe to run again."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        areas = demo.load_areas()
        demo.load_users(areas)
        demo.load_people(areas)
        # the domain apps first: the shared apps' demos (a payroll, cross-check lists) work on
        # what the domain apps registered and made, without importing them
        configs = sorted(
            apps.get_app_configs(), key=lambda config: config.name not in settings.DOMAIN_APPS
        )
        for config in configs:
            if config.name.startswith(("django", "rest_framework")) or config.name.endswith("core"):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            module.load(areas)
            self.stdout.write(f"demo data: {config.label}")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
