from django.core.cache import cache

from .models import Office, Province, Region

_HOME_PROVINCE_CACHE_KEY = "organization:home_province"


def home_province() -> Province | None:
    """The province this deployment serves (cached: it is on every page)."""
    province = cache.get(_HOME_PROVINCE_CACHE_KEY)
    if province is None:
        province = Province.objects.select_related("region").filter(is_home=True).first()
        if province is not None:
            cache.set(_HOME_PROVINCE_CACHE_KEY, province, 300)
    return province


def home_province_forget() -> None:
    cache.delete(_HOME_PROVINCE_CACHE_KEY)


def cities_of(province_region: Region):
    return Region.objects.filter(parent=province_region, level=Region.Level.CITY).order_by("code")


def districts_of(city: Region):
    return Region.objects.filter(parent=city, level=Region.Level.DISTRICT).order_by("code")


def offices_of_kind(kind: str):
    return Office.objects.filter(kind=kind, is_active=True).select_related("region").order_by("code")


def district_office_of(region: Region) -> Office | None:
    """The 区县招办 that serves a district (or the 市考办 where a city has no districts)."""
    return (
        Office.objects.filter(region=region, is_active=True,
                              kind__in=[Office.Kind.DISTRICT_OFFICE, Office.Kind.CITY_OFFICE])
        .order_by("-kind")  # "district" before "city"
        .first()
    )
