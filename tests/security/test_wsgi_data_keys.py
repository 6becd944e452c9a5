"""The production start (kaowu/wsgi.py, which runs no system checks) refuses to serve without the data
keys of encryption at rest, instead of answering 500 at the first login (issue #12, item 11)."""

from tests.security.test_providers import PRODUCTION_ENV, _run, _secret_only


def test_the_wsgi_application_refuses_to_start_without_data_keys(tmp_path):
    env = {**_secret_only(tmp_path), **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "kaowu.settings"}
    del env["KAOWU_DATA_KEYS"]
    result = _run(["-c", "import kaowu.wsgi"], env)
    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr and "KAOWU_DATA_KEYS" in result.stderr
