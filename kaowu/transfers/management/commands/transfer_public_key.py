"""Print the home province's 转考公钥 (Ed25519, PEM) — what an operator gives another province that
runs kaowu, so it can verify the electronic transfer packages this province exports. In development
the key pair is generated on first use (KAOWU_TRANSFER_SIGNING_KEY)."""

from django.core.management.base import BaseCommand

from kaowu.transfers.package import key_fingerprint, public_key_pem


class Command(BaseCommand):
    help = "Print the home province's transfer-package public key (PEM) and its fingerprint."

    def add_arguments(self, parser):
        parser.add_argument("--fingerprint", action="store_true", help="also print the fingerprint (to stderr)")

    def handle(self, *args, fingerprint=False, **options):
        pem = public_key_pem()
        self.stdout.write(pem, ending="")
        if fingerprint:
            self.stderr.write(f"fingerprint: {key_fingerprint(pem)}")
