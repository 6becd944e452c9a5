import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaowu.settings")
application = get_wsgi_application()

# A WSGI server runs no system checks: refuse to serve with a development or half-configured provider
# outside demo / debug mode (kaowu/core/checks.py), as `manage.py check` does.
from kaowu.core.checks import providers_refuse_misconfiguration  # noqa: E402
from kaowu.core.crypto import keyring  # noqa: E402

providers_refuse_misconfiguration()
keyring()  # nor without valid data keys (ImproperlyConfigured), rather than a 500 on the first login
