"""QR e-signature (扫码签字, seed 000): a desktop page shows a single-use QR code that opens a phone
page where the candidate signs by hand; the signature is bound to the exact version of what it signs."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "kaowu.signatures"
    label = "signatures"
    verbose_name = _("电子签名")
