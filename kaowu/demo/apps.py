"""Demo province seeding."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kaowu.demo"
    label = "demo"
    verbose_name = "演示数据"
