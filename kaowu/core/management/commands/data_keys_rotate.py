"""Re-encrypt every encrypted column and every stored file under the current data key."""

from django.core.management.base import BaseCommand
from django.db import connection

from kaowu.core.fields import data_rotate
from kaowu.core.storage import files_rotate


class Command(BaseCommand):
    help = ("Re-encrypt every encrypted column and uploaded file under the first key of KAOWU_DATA_KEYS "
            "(batched; safe to interrupt and run again). --lookup recomputes the lookup digests after "
            "KAOWU_LOOKUP_KEY changed.")

    def add_arguments(self, parser):
        parser.add_argument("--lookup", action="store_true",
                            help="Only recompute the lookup digests (after changing KAOWU_LOOKUP_KEY).")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--skip-files", action="store_true", help="Columns only.")

    def handle(self, *args, lookup=False, batch_size=1000, skip_files=False, **options):
        verbosity = options.get("verbosity", 1)

        def progress(model, field, last_pk, changed):
            if verbosity > 1:
                self.stdout.write(f"  {model._meta.label}.{field.name}: up to #{last_pk}, {changed} rewritten")

        for name, count in data_rotate(connection=connection, reindex=lookup, batch_size=batch_size,
                                       progress=progress).items():
            self.stdout.write(f"{name}: {count} rows rewritten")
        if not lookup and not skip_files:
            for folder, count in files_rotate().items():
                self.stdout.write(f"media/{folder}: {count} files rewritten")
        self.stdout.write(self.style.SUCCESS("done"))
