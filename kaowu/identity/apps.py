"""Identity verification: photo standards, offline face comparison, manual review, 一人一号."""

from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "kaowu.identity"
    label = "identity"
    verbose_name = "身份认证"
