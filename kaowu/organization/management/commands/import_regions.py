"""manage.py import_regions [--province 62 ...]: the national region table (行政区划) from python-stdnum."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from kaowu.organization.models import Region
from kaowu.organization.services import regions_import


def _province_prefix(value: str) -> str:
    value = value.strip()
    if value.isdigit() and (len(value) == 2 or (len(value) == 6 and value.endswith("0000"))):
        return value[:2]
    raise CommandError(f"省份应写作两位或六位行政区划代码，例如 62 或 620000：{value!r}")


class Command(BaseCommand):
    help = "导入（或更新）行政区划：省、市、区县。幂等，可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--province", action="append", dest="provinces", metavar="CODE",
            help="只导入这些省份（两位或六位代码，可重复：--province 62 --province 63）；默认全国。",
        )

    def handle(self, *args, provinces=None, **options):
        prefixes = sorted({_province_prefix(p) for p in provinces}) if provinces else None
        before = Region.objects.count()
        total = regions_import(province_prefixes=prefixes)
        scope = Region.objects.all()
        if prefixes:
            query = Q()
            for prefix in prefixes:
                query |= Q(code__startswith=prefix)
            scope = scope.filter(query)
            if not scope.exists():
                raise CommandError(f"行政区划代码表中没有这些省份：{'、'.join(prefixes)}")
        counts = {level: scope.filter(level=level).count() for level in Region.Level.values}
        self.stdout.write(
            f"{'、'.join(prefixes) if prefixes else '全国'}：省 {counts['province']}，"
            f"市 {counts['city']}，区县 {counts['district']}"
        )
        self.stdout.write(self.style.SUCCESS(f"新增 {total - before} 条，行政区划共 {total} 条。"))
