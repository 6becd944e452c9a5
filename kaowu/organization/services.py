"""Reference data: regions from python-stdnum's 行政区划代码 table, province configuration, offices."""

import re
from dataclasses import dataclass

from django.db import transaction
from stdnum import numdb

from .models import Province, Region
from .selectors import home_province_forget

# Entries look like "[1983-]城关区" (valid since 1983), "[-1983]市区" (abolished in 1983) or "兰州市".
_VALIDITY = re.compile(r"^\[(?P<start>\d{4})?-(?P<end>\d{4})?\]")
# Placeholder entries that are not places a candidate lives in.
_PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "省直辖县级行政单位", "自治区直辖县级行政区划",
                      "自治区直辖县级行政单位", "省直辖行政单位", "市区", "郊区"}


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    parent_code: str | None


def _current_name(raw: str) -> str | None:
    """The name if the entry is still in force, else None. A renamed region lists every name it
    had ("[1985-2003]秦城区,[2004-]秦州区"); the last one is the current one."""
    raw = raw.split(",")[-1].strip()
    match = _VALIDITY.match(raw)
    if match:
        if match.group("end"):
            return None
        raw = raw[match.end():]
    return raw.strip() or None


def region_rows_from_stdnum(province_prefixes: list[str] | None = None) -> list[RegionRow]:
    """Current provinces, cities and districts from stdnum's cn/loc table (not typed by hand)."""
    rows: list[RegionRow] = []
    for _length, low, high, props, children in numdb.get("cn/loc").prefixes:
        if low != high:
            continue
        prov_prefix = low
        if province_prefixes and prov_prefix not in province_prefixes:
            continue
        province_name = props.get("province")
        if not province_name:
            continue
        province_code = prov_prefix + "0000"
        rows.append(RegionRow(province_code, province_name, Region.Level.PROVINCE, None))
        current_city_code = None
        for _clen, clow, chigh, cprops, _ in children:
            if clow != chigh or "county" not in cprops:
                continue
            code = prov_prefix + clow
            name = _current_name(cprops["county"])
            if code == province_code or name is None or name in _PLACEHOLDER_NAMES:
                continue
            if code.endswith("00"):
                rows.append(RegionRow(code, name, Region.Level.CITY, province_code))
                current_city_code = code
            elif code[2:4] == "90" or current_city_code is None or current_city_code[:4] != code[:4]:
                # 省直辖县级行政区划 (e.g. 济源市): a district-level place directly under the province;
                # it is its own city for scoping purposes.
                rows.append(RegionRow(code, name, Region.Level.CITY, province_code))
            else:
                rows.append(RegionRow(code, name, Region.Level.DISTRICT, current_city_code))
    return rows


@transaction.atomic
def regions_import(*, province_prefixes: list[str] | None = None) -> int:
    """Create or update regions; idempotent. Returns the number of regions in the table.

    A few queries whatever the size: one read, one INSERT per level (provinces, then the cities that
    point at them, then the districts), one UPDATE for regions whose name, level or parent changed.
    The test suite's `gansu` fixture runs it in most tests."""
    rows = region_rows_from_stdnum(province_prefixes)
    by_code: dict[str, Region] = {r.code: r for r in Region.objects.all()}
    changed: list[Region] = []
    for level in (Region.Level.PROVINCE, Region.Level.CITY, Region.Level.DISTRICT):
        new: list[Region] = []
        for row in rows:
            if row.level != level:
                continue
            parent = by_code[row.parent_code] if row.parent_code else None
            region = by_code.get(row.code)
            if region is None:
                region = Region(code=row.code, name=row.name, level=row.level, parent=parent)
                new.append(region)
            elif (region.name, region.level, region.parent_id) != (row.name, row.level, parent.pk if parent else None):
                region.name, region.level, region.parent = row.name, row.level, parent
                changed.append(region)
            by_code[row.code] = region
        Region.objects.bulk_create(new)
        if any(region.pk is None for region in new):  # a database that returns no ids from a bulk INSERT
            by_code.update(Region.objects.in_bulk([region.code for region in new], field_name="code"))
    Region.objects.bulk_update(changed, ["name", "level", "parent"])
    return Region.objects.count()


@transaction.atomic
def province_configure(*, region_code: str, authority_name: str, platform_name: str, logo_text: str,
                       hotline: str, address: str = "", postcode: str = "", is_home: bool = False,
                       runs_kaowu: bool = False) -> Province:
    region = Region.objects.get(code=region_code, level=Region.Level.PROVINCE)
    if is_home:
        Province.objects.exclude(region=region).filter(is_home=True).update(is_home=False)
    province, _ = Province.objects.update_or_create(
        region=region,
        defaults=dict(name=region.name, authority_name=authority_name, platform_name=platform_name,
                      logo_text=logo_text, hotline=hotline, address=address, postcode=postcode,
                      is_home=is_home, runs_kaowu=runs_kaowu),
    )
    home_province_forget()
    return province
