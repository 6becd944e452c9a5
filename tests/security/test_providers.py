"""Production never runs on a development provider (issue #12, item 4): the development registry
answers "match" to every well-formed pair, the development SMS, WeChat, face check, e-mail and payment
providers fake their services. Outside demo and debug mode each one is a system check error, which
stops `manage.py check` (with or without --deploy), runserver, migrate and the WSGI start; with the
real classes configured the check is clean. Booleans in the environment are read strictly."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kaowu.core.checks import providers_check

ROOT = Path(__file__).resolve().parents[2]

DEV = {
    "KAOWU_SMS_PROVIDER": "kaowu.notifications.providers.DevInboxSmsProvider",
    "EMAIL_BACKEND": "kaowu.notifications.email.DevInboxEmailBackend",
    "KAOWU_WECHAT_PROVIDER": "kaowu.accounts.wechat.DevWeChatProvider",
    "KAOWU_FACE_CHECK_PROVIDER": "kaowu.appeals.facecheck.DevFaceCheckProvider",
    "KAOWU_IDENTITY_REGISTRY_PROVIDER": "kaowu.identity.registry.DevIdentityRegistry",
    "KAOWU_DEGREE_CHECK_PROVIDER": "kaowu.graduation.degreecheck.DevDegreeCheckProvider",
}
REAL = {
    "KAOWU_SMS_PROVIDER": "kaowu.notifications.providers.AliyunSmsProvider",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "KAOWU_WECHAT_PROVIDER": "kaowu.accounts.wechat.WeChatOpenProvider",
    "KAOWU_FACE_CHECK_PROVIDER": "kaowu.appeals.facecheck.HttpsFaceCheckProvider",
    "KAOWU_IDENTITY_REGISTRY_PROVIDER": "kaowu.identity.registry.HttpsIdentityRegistry",
    "KAOWU_DEGREE_CHECK_PROVIDER": "kaowu.graduation.degreecheck.HttpsDegreeCheckProvider",
    "KAOWU_PAYMENT_PROVIDERS": {"wechat": "kaowu.testing.providers.StubPaymentProvider"},
}
# What a production deployment sets for the real providers (README.md, Configuration).
REAL_PROVIDER_ENV = {
    "KAOWU_SMS_PROVIDER": REAL["KAOWU_SMS_PROVIDER"],
    "KAOWU_SMS_ALIYUN_ACCESS_KEY_ID": "LTAI5tExample", "KAOWU_SMS_ALIYUN_ACCESS_KEY_SECRET": "example-secret",
    "KAOWU_SMS_ALIYUN_SIGN_NAME": "甘肃省教育考试院", "KAOWU_SMS_ALIYUN_TEMPLATE_CODE": "SMS_123456789",
    "KAOWU_EMAIL_BACKEND": REAL["EMAIL_BACKEND"],
    "KAOWU_WECHAT_PROVIDER": REAL["KAOWU_WECHAT_PROVIDER"],
    "KAOWU_WECHAT_APP_ID": "wx0123456789abcdef", "KAOWU_WECHAT_APP_SECRET": "example-app-secret",
    "KAOWU_FACE_CHECK_PROVIDER": REAL["KAOWU_FACE_CHECK_PROVIDER"],
    "KAOWU_FACE_CHECK_URL": "https://face.broker.example.org/face", "KAOWU_FACE_CHECK_APP_ID": "kaowu",
    "KAOWU_FACE_CHECK_SECRET": "example-face-secret",
    "KAOWU_IDENTITY_REGISTRY_PROVIDER": REAL["KAOWU_IDENTITY_REGISTRY_PROVIDER"],
    "KAOWU_IDENTITY_REGISTRY_URL": "https://id.broker.example.org/v1/id-check",
    "KAOWU_IDENTITY_REGISTRY_APP_ID": "kaowu", "KAOWU_IDENTITY_REGISTRY_SECRET": "example-registry-secret",
    "KAOWU_DEGREE_CHECK_PROVIDER": REAL["KAOWU_DEGREE_CHECK_PROVIDER"],
    "KAOWU_DEGREE_CHECK_URL": "https://chsi.broker.example.org/v1/degree-check",
    "KAOWU_DEGREE_CHECK_APP_ID": "kaowu", "KAOWU_DEGREE_CHECK_SECRET": "example-degree-secret",
    "KAOWU_PAYMENT_PROVIDERS": "wechat=kaowu.testing.providers.StubPaymentProvider",
}
PRODUCTION_ENV = {
    "KAOWU_ALLOWED_HOSTS": "ks.example.org", "KAOWU_CSRF_TRUSTED_ORIGINS": "https://ks.example.org",
    "KAOWU_PUBLIC_BASE_URL": "https://ks.example.org", "KAOWU_SECURE_COOKIES": "1",
    "KAOWU_BEHIND_HTTPS_PROXY": "1", "KAOWU_HSTS_SECONDS": "31536000",
    # Keys of the personal data encrypted at rest (required outside demo / debug mode).
    "KAOWU_DATA_KEYS": "k1:" + base64.b64encode(bytes(range(32))).decode(),
    "KAOWU_LOOKUP_KEY": base64.b64encode(bytes(range(32, 64))).decode(),
    **REAL_PROVIDER_ENV,
}
REAL_SETTINGS = {k: v for k, v in REAL_PROVIDER_ENV.items() if not k.endswith("_PROVIDER")
                 and k not in ("KAOWU_EMAIL_BACKEND", "KAOWU_PAYMENT_PROVIDERS")} | {
    "KAOWU_PUBLIC_BASE_URL": "https://ks.example.org"}


@pytest.fixture
def production(settings):
    settings.DEMO_MODE = settings.DEBUG = settings.KAOWU_DEV_INBOX = False
    return settings


@pytest.fixture
def real_providers(production):
    for name, value in {**REAL, **REAL_SETTINGS}.items():
        setattr(production, name, value)
    return production


def _ids(errors, variable=""):
    return [e.id for e in errors if variable in e.msg]


@pytest.mark.parametrize("setting", sorted(DEV))
def test_each_development_provider_is_an_error_in_production(real_providers, setting):
    setattr(real_providers, setting, DEV[setting])
    errors = providers_check()
    assert _ids(errors) == ["core.E102"], [e.msg for e in errors]
    assert DEV[setting] in errors[0].msg


def test_the_development_payment_gateway_is_an_error_in_production(real_providers):
    real_providers.KAOWU_PAYMENT_PROVIDERS = {"wechat": "kaowu.testing.providers.StubPaymentProvider",
                                              "alipay": "kaowu.payments.providers.dev.DevGatewayProvider"}
    errors = providers_check()
    assert _ids(errors) == ["core.E102"] and "KAOWU_PAYMENT_PROVIDERS (alipay)" in errors[0].msg


def test_the_real_providers_configured_pass(real_providers):
    assert providers_check() == []


def test_a_real_provider_without_its_keys_is_an_error(real_providers):
    real_providers.KAOWU_IDENTITY_REGISTRY_SECRET = ""
    real_providers.KAOWU_SMS_ALIYUN_ENDPOINT = "http://dysmsapi.aliyuncs.com/"
    messages = [e.msg for e in providers_check() if e.id == "core.E103"]
    assert any("KAOWU_IDENTITY_REGISTRY_SECRET is not set" in m for m in messages)
    assert any("KAOWU_SMS_ALIYUN_ENDPOINT must be an https:// URL" in m for m in messages)


def test_a_provider_class_of_ones_own_must_say_it_is_not_a_development_one(real_providers):
    # A subclass of the base that forgot `development = False` is refused, not trusted.
    real_providers.KAOWU_SMS_PROVIDER = "kaowu.notifications.providers.SmsProvider"
    assert _ids(providers_check()) == ["core.E102"]


def test_a_provider_that_cannot_be_imported_is_an_error(real_providers):
    real_providers.KAOWU_WECHAT_PROVIDER = "kaowu.accounts.wechat.NoSuchProvider"
    assert _ids(providers_check()) == ["core.E101"]


@pytest.mark.parametrize("mode", ["DEMO_MODE", "DEBUG"])
def test_demo_and_debug_mode_may_use_the_development_providers(production, mode):
    setattr(production, mode, True)
    assert providers_check() == []


# --- the commands and the WSGI start, as an operator runs them ----------------------------------

def _run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def _secret_only(tmp_path) -> dict:
    env = {"KAOWU_SECRET_KEY": secrets.token_urlsafe(50)}
    if os.environ.get("KAOWU_VAR_DIR"):  # keep the test's own state directory; nothing is written there
        env["KAOWU_VAR_DIR"] = os.environ["KAOWU_VAR_DIR"]
    return env


def test_check_deploy_fails_with_only_a_secret_key(tmp_path):
    result = _run(["manage.py", "check", "--deploy"], _secret_only(tmp_path))
    assert result.returncode != 0
    for variable in ("KAOWU_SMS_PROVIDER", "KAOWU_EMAIL_BACKEND", "KAOWU_WECHAT_PROVIDER",
                     "KAOWU_FACE_CHECK_PROVIDER", "KAOWU_IDENTITY_REGISTRY_PROVIDER", "KAOWU_DEGREE_CHECK_PROVIDER",
                     "KAOWU_PAYMENT_PROVIDERS"):
        assert f"(core.E102) {variable}" in result.stderr, result.stderr
    # … and so does plain `check`, which runserver and migrate run too.
    assert _run(["manage.py", "check"], _secret_only(tmp_path)).returncode != 0


def test_the_wsgi_application_refuses_to_start_with_development_providers(tmp_path):
    result = _run(["-c", "import kaowu.wsgi"], {**_secret_only(tmp_path), "DJANGO_SETTINGS_MODULE": "kaowu.settings"})
    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr and "core.E102" in result.stderr


def test_check_deploy_passes_with_real_providers_and_production_settings(tmp_path):
    result = _run(["manage.py", "check", "--deploy"], {**_secret_only(tmp_path), **PRODUCTION_ENV})
    assert result.returncode == 0, result.stderr
    assert "ERRORS" not in result.stderr and "core.E" not in result.stderr
    # The security settings the README asks for are in force: not one warning is left (the proxy's HTTPS
    # redirect, HSTS subdomains and preload are silenced behind the proxy: settings.py says why).
    assert "WARNINGS" not in result.stderr and "security.W" not in result.stderr, result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
    wsgi = _run(["-c", "import kaowu.wsgi"], {**_secret_only(tmp_path), **PRODUCTION_ENV,
                                              "DJANGO_SETTINGS_MODULE": "kaowu.settings"})
    assert wsgi.returncode == 0, wsgi.stderr


# --- strict booleans ------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [("1", True), ("on", True), ("TRUE", True), (" yes ", True),
                                                 ("0", False), ("off", False), ("False", False), ("", True)])
def test_booleans_in_the_environment(monkeypatch, value, expected):
    from kaowu.settings import env_bool

    monkeypatch.setenv("KAOWU_TEST_FLAG", value)
    assert env_bool("KAOWU_TEST_FLAG", True) is expected


@pytest.mark.parametrize("typo", ["ture", "y", "enabled", "2", "of"])
def test_a_boolean_that_is_not_one_stops_the_start(monkeypatch, typo):
    from kaowu.settings import env_bool

    monkeypatch.setenv("KAOWU_SECURE_COOKIES", typo)
    with pytest.raises(ImproperlyConfigured, match="KAOWU_SECURE_COOKIES"):
        env_bool("KAOWU_SECURE_COOKIES", False)


def test_a_typo_in_secure_cookies_is_not_read_as_off(tmp_path):
    # Before: "ture" silently meant off, and the session cookie went out over plain HTTP.
    result = _run(["manage.py", "check"], {**_secret_only(tmp_path), **PRODUCTION_ENV, "KAOWU_SECURE_COOKIES": "ture"})
    assert result.returncode != 0 and "KAOWU_SECURE_COOKIES='ture' is not a boolean" in result.stderr
