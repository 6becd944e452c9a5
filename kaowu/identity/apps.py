"""Identity verification: photo standards, offline face comparison, manual review, 一人一号."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "kaowu.identity"
    label = "identity"
    verbose_name = _("身份认证")
