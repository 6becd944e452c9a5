from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kaowu.organization.models import Region


def run(*args) -> str:
    out = StringIO()
    call_command("import_regions", *args, stdout=out)
    return out.getvalue()


def test_import_regions_for_chosen_provinces_is_idempotent(db):
    first = run("--province", "62", "--province", "630000")

    assert "新增 " in first and "新增 0 条" not in first
    assert Region.objects.filter(code__startswith="62", level=Region.Level.CITY).count() == 14
    assert set(Region.objects.filter(level=Region.Level.PROVINCE).values_list("code", flat=True)) == {
        "620000", "630000"}
    count = Region.objects.count()

    second = run("--province", "62", "--province", "63")

    assert "新增 0 条" in second
    assert second.startswith("62、63：省 2，")
    assert Region.objects.count() == count


def test_import_regions_rejects_a_code_that_is_not_a_province(db):
    with pytest.raises(CommandError):
        run("--province", "6201")
