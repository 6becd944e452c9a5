"""Generated documents: 准考证 / 考场座次通知单 (and later 登记表, 体检表) as PDF with the CJK font
embedded, and the QR code staff scan to check a ticket against the live record."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "kaowu.documents"
    label = "documents"
    verbose_name = _("文书与证件")
