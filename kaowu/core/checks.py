"""System check: no development provider outside demo or debug mode, and every real one configured.

Registered without `deploy=True`, so plain `manage.py check`, `runserver`, `migrate`, `db_worker` and
`check --deploy` all stop on it; kaowu/wsgi.py runs it too before serving a single request. The
providers are found by their settings (dotted paths), so core imports no other kaowu app.
"""

from collections.abc import Iterator

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .providers import is_development

# setting read by the code → the environment variable that sets it (README.md)
PROVIDER_SETTINGS = {
    "KAOWU_SMS_PROVIDER": "KAOWU_SMS_PROVIDER",
    "EMAIL_BACKEND": "KAOWU_EMAIL_BACKEND",
    "KAOWU_WECHAT_PROVIDER": "KAOWU_WECHAT_PROVIDER",
    "KAOWU_FACE_CHECK_PROVIDER": "KAOWU_FACE_CHECK_PROVIDER",
    "KAOWU_IDENTITY_REGISTRY_PROVIDER": "KAOWU_IDENTITY_REGISTRY_PROVIDER",
    "KAOWU_DEGREE_CHECK_PROVIDER": "KAOWU_DEGREE_CHECK_PROVIDER",
}


def configured_providers() -> Iterator[tuple[str, str]]:
    """(what sets it, dotted path) of every provider class this deployment uses."""
    for setting, variable in PROVIDER_SETTINGS.items():
        yield variable, getattr(settings, setting)
    for channel, path in getattr(settings, "KAOWU_PAYMENT_PROVIDERS", {}).items():
        yield f"KAOWU_PAYMENT_PROVIDERS ({channel})", path


def development_allowed() -> bool:
    return bool(settings.DEMO_MODE or settings.DEBUG)


@register(Tags.security)
def providers_check(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    for variable, path in configured_providers():
        try:
            cls = import_string(path)
        except ImportError as exc:
            errors.append(Error(f"{variable} names {path!r}, which cannot be imported: {exc}", id="core.E101"))
            continue
        if is_development(cls) and not development_allowed():
            errors.append(Error(
                f"{variable} is the development provider {path}, outside demo and debug mode.",
                hint=f"Set {variable} to a real provider class (README.md, Configuration), or turn on KAOWU_DEMO "
                     "for a demonstration site. A provider class of your own must say `development = False`.",
                id="core.E102"))
            continue
        problems = getattr(cls, "configuration_problems", None)
        for problem in problems() if callable(problems) else ():
            errors.append(Error(f"{variable} ({path}): {problem}.", hint="See README.md, Configuration.",
                                id="core.E103"))
    return errors


def providers_refuse_misconfiguration() -> None:
    """For the WSGI start: raise ImproperlyConfigured with every provider error, if any."""
    errors = providers_check()
    if errors:
        raise ImproperlyConfigured("\n".join(f"{e.id}: {e.msg}" for e in errors))
