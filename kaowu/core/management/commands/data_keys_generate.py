"""Print new keys for KAOWU_DATA_KEYS / KAOWU_LOOKUP_KEY (nothing is stored)."""

from django.core.management.base import BaseCommand

from kaowu.core import crypto


class Command(BaseCommand):
    help = "Print a new data key (and a lookup key) for the environment; nothing is written anywhere."

    def add_arguments(self, parser):
        parser.add_argument("--key-id", default=None, help="Id of the new data key (default: random, e.g. k3f9a1c).")

    def handle(self, *args, key_id=None, **options):
        entry = crypto.new_data_key_entry(key_id)
        crypto.parse_data_keys(entry)  # the id must be valid
        self.stdout.write(f"KAOWU_DATA_KEYS={entry}")
        self.stdout.write(f"KAOWU_LOOKUP_KEY={crypto.new_lookup_key()}")
        self.stdout.write(self.style.NOTICE(
            "To rotate the data key: put the new entry FIRST in KAOWU_DATA_KEYS and keep the old ones after it, "
            "restart, run `manage.py data_keys_rotate`, then remove the old entries. Change KAOWU_LOOKUP_KEY only "
            "with `manage.py data_keys_rotate --lookup` in a maintenance window (see README)."))
