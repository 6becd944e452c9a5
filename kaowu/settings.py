"""Settings read from the environment.

With nothing set, kaowu runs embedded: SQLite, local-memory cache, database sessions,
in-process background jobs and development providers (SMS and e-mail land in the dev inbox).
Production switches to PostgreSQL, Redis, db_worker processes and real providers by variables alone;
README.md lists every variable.
"""

import hashlib
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KAOWU_VAR_DIR", BASE_DIR / "var"))


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """A boolean variable, read strictly (as Healthchecks' envbool): unset or empty is the default,
    anything but 1/0, true/false, yes/no, on/off stops the start instead of meaning "off"."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    value = value.strip().lower()
    if value not in _TRUE | _FALSE:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{name}={os.environ[name]!r} is not a boolean: use 1/0, true/false, yes/no or on/off.")
    return value in _TRUE


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("KAOWU_DEBUG", False)
# Demo mode (the embedded default): demo data, the dev inbox and the development gateways are
# reachable from the site. Production sets KAOWU_SECRET_KEY, which turns demo mode off by default.
DEMO_MODE = env_bool("KAOWU_DEMO", not os.environ.get("KAOWU_SECRET_KEY"))


def _demo_secret_key() -> str:
    # A per-installation key kept beside the SQLite file, so a demo site's signatures are not guessable.
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    import secrets

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    return key


SECRET_KEY = os.environ.get("KAOWU_SECRET_KEY") or (_demo_secret_key() if (DEBUG or DEMO_MODE) else "")
if not SECRET_KEY:
    raise RuntimeError("KAOWU_SECRET_KEY must be set when neither KAOWU_DEBUG nor KAOWU_DEMO is on.")

ALLOWED_HOSTS = env_list("KAOWU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("KAOWU_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "kaowu.core",
    "kaowu.audit",
    "kaowu.organization",
    "kaowu.accounts",
    "kaowu.candidates",
    "kaowu.identity",
    "kaowu.catalog",
    "kaowu.payments",
    "kaowu.filing",
    "kaowu.records",
    "kaowu.registration",
    "kaowu.signatures",
    "kaowu.documents",
    "kaowu.upgrade",
    "kaowu.exams",
    "kaowu.workflow",
    "kaowu.transfers",
    "kaowu.appeals",
    "kaowu.exemptions",
    "kaowu.graduation",
    "kaowu.practicals",
    "kaowu.theses",
    "kaowu.verification",
    "kaowu.notifications",
    "kaowu.portal",
    "kaowu.backoffice",
    "kaowu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kaowu.core.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kaowu.core.middleware.CookieLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kaowu.core.middleware.IdleTimeoutMiddleware",
    "kaowu.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last: a busy database or a full disk is a 503 page, and files of rolled-back transactions go.
    "kaowu.core.middleware.ServiceUnavailableMiddleware",
]

ROOT_URLCONF = "kaowu.urls"
WSGI_APPLICATION = "kaowu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kaowu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kaowu.organization.context_processors.platform",
            ],
            "builtins": ["kaowu.core.templatetags.kaowu"],
        },
    },
]

# --- Database: SQLite embedded, PostgreSQL when KAOWU_DATABASE_URL (or DATABASE_URL) is set.
DATABASE_URL = os.environ.get("KAOWU_DATABASE_URL") or os.environ.get("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("KAOWU_DB_CONN_MAX_AGE", 60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "kaowu.sqlite3",
            "OPTIONS": {
                # WAL + a busy timeout keep the embedded site usable with the in-process worker.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
            },
            # The test database when a test runs the live server (the browser tests): it answers on
            # several threads, and only a file database makes two concurrent writes wait for each other
            # instead of failing with "table is locked". conftest.py moves this file to the RAM disk
            # (/dev/shm) and, when no test of the run needs the live server, uses SQLite's in-memory
            # database instead.
            "TEST": {"NAME": str(VAR_DIR / "test_kaowu.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions: Redis when KAOWU_REDIS_URL is set, local otherwise.
REDIS_URL = os.environ.get("KAOWU_REDIS_URL") or os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("KAOWU_CACHE_PREFIX", "kaowu"),
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kaowu"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

SESSION_COOKIE_AGE = env_int("KAOWU_SESSION_MAX_AGE", 12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("KAOWU_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Minutes without a request after which a signed-in user is signed out.
KAOWU_IDLE_TIMEOUT_MINUTES = env_int("KAOWU_IDLE_TIMEOUT_MINUTES", 30)

# --- Background jobs (django.tasks API): in-process by default, db_worker in production.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("KAOWU_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# --- Auth
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kaowu.accounts.backends.IdentifierBackend",
    "kaowu.accounts.backends.SmsCodeBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:candidate_home"
LOGOUT_REDIRECT_URL = "portal:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Default policy (OWASP ASVS): 8–64 characters, not a common password, no forced rotation.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "kaowu.accounts.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 64}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes: lockout after repeated failed logins (password or SMS code, candidates and staff),
# per account whatever identifier was typed, and per address across accounts (kaowu/accounts/lockout.py).
AXES_FAILURE_LIMIT = env_int("KAOWU_LOGIN_FAILURE_LIMIT", 5)
KAOWU_LOGIN_IP_FAILURE_LIMIT = env_int("KAOWU_LOGIN_IP_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = env_int("KAOWU_LOGIN_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted with its own limit by the handler
AXES_HANDLER = "kaowu.accounts.lockout.AccountAndAddressHandler"
AXES_USERNAME_CALLABLE = "kaowu.accounts.lockout.lockout_username"
AXES_RESET_ON_SUCCESS = False  # the handler clears the account's failures only, not the address's
AXES_LOCKOUT_CALLABLE = "kaowu.accounts.lockout.lockout_response"
AXES_USERNAME_FORM_FIELD = "identifier"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_SENSITIVE_PARAMETERS = ["password", "identifier", "captcha_1", "phone", "sms_code"]

# --- SMS and verification codes
KAOWU_SMS_PROVIDER = os.environ.get("KAOWU_SMS_PROVIDER", "kaowu.notifications.providers.DevInboxSmsProvider")
# Alibaba Cloud SMS (kaowu.notifications.providers.AliyunSmsProvider): an AccessKey pair, the approved
# 短信签名 and one approved template whose single variable (KAOWU_SMS_ALIYUN_TEMPLATE_PARAM) takes the text.
KAOWU_SMS_ALIYUN_ACCESS_KEY_ID = os.environ.get("KAOWU_SMS_ALIYUN_ACCESS_KEY_ID", "")
KAOWU_SMS_ALIYUN_ACCESS_KEY_SECRET = os.environ.get("KAOWU_SMS_ALIYUN_ACCESS_KEY_SECRET", "")
KAOWU_SMS_ALIYUN_SIGN_NAME = os.environ.get("KAOWU_SMS_ALIYUN_SIGN_NAME", "")
KAOWU_SMS_ALIYUN_TEMPLATE_CODE = os.environ.get("KAOWU_SMS_ALIYUN_TEMPLATE_CODE", "")
KAOWU_SMS_ALIYUN_TEMPLATE_PARAM = os.environ.get("KAOWU_SMS_ALIYUN_TEMPLATE_PARAM", "content")
KAOWU_SMS_ALIYUN_ENDPOINT = os.environ.get("KAOWU_SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
KAOWU_SMS_ALIYUN_REGION = os.environ.get("KAOWU_SMS_ALIYUN_REGION", "cn-hangzhou")
# Seconds any real provider (SMS, WeChat, identity registry, face check) waits for its service.
KAOWU_PROVIDER_TIMEOUT_SECONDS = env_int("KAOWU_PROVIDER_TIMEOUT_SECONDS", 10)
KAOWU_SMS_CODE_TTL_SECONDS = env_int("KAOWU_SMS_CODE_TTL_SECONDS", 300)
KAOWU_SMS_RESEND_SECONDS = env_int("KAOWU_SMS_RESEND_SECONDS", 60)
KAOWU_SMS_DAILY_LIMIT_PER_PHONE = env_int("KAOWU_SMS_DAILY_LIMIT_PER_PHONE", 10)
KAOWU_SMS_DAILY_LIMIT_PER_IP = env_int("KAOWU_SMS_DAILY_LIMIT_PER_IP", 30)
KAOWU_CODE_MAX_ATTEMPTS = env_int("KAOWU_CODE_MAX_ATTEMPTS", 5)
KAOWU_CAPTCHA_TTL_SECONDS = env_int("KAOWU_CAPTCHA_TTL_SECONDS", 300)
# Development inbox page (/dev/inbox/): shows SMS and e-mail sent by the development providers.
KAOWU_DEV_INBOX = env_bool("KAOWU_DEV_INBOX", DEMO_MODE)
# 扫码签字: how long a signing QR code works, and the address a phone can reach (when staff or
# candidates look at the site as 127.0.0.1 or through a proxy); empty: the address the desktop used.
# 专升本报名考试费 (yuan).
KAOWU_UPGRADE_FEE = os.environ.get("KAOWU_UPGRADE_FEE", "100.00")
# 志愿填报 pages warn and sign out after this many idle minutes (seed 004: 15).
KAOWU_VOLUNTEER_TIMEOUT_MINUTES = env_int("KAOWU_VOLUNTEER_TIMEOUT_MINUTES", 15)
# 专升本: how long 报考须知, 违规处理办法, 考生承诺书 and the 诚信考试承诺书 stay open before their button
# unlocks (seed 004: 10 s; the server refuses an earlier click). The browser walks shorten it.
KAOWU_NOTICE_COUNTDOWN_SECONDS = env_int("KAOWU_NOTICE_COUNTDOWN_SECONDS", 10)
KAOWU_SIGNATURE_QR_SECONDS = env_int("KAOWU_SIGNATURE_QR_SECONDS", 300)
KAOWU_PUBLIC_BASE_URL = os.environ.get("KAOWU_PUBLIC_BASE_URL", "")
KAOWU_WECHAT_PROVIDER = os.environ.get("KAOWU_WECHAT_PROVIDER", "kaowu.accounts.wechat.DevWeChatProvider")
# 微信开放平台 网站应用 (kaowu.accounts.wechat.WeChatOpenProvider): AppID, AppSecret, and the callback
# address registered as 授权回调域 (default: KAOWU_PUBLIC_BASE_URL + /accounts/wechat/callback/).
KAOWU_WECHAT_APP_ID = os.environ.get("KAOWU_WECHAT_APP_ID", "")
KAOWU_WECHAT_APP_SECRET = os.environ.get("KAOWU_WECHAT_APP_SECRET", "")
KAOWU_WECHAT_REDIRECT_URI = os.environ.get("KAOWU_WECHAT_REDIRECT_URI", "")
KAOWU_WECHAT_OPEN_URL = os.environ.get("KAOWU_WECHAT_OPEN_URL", "https://open.weixin.qq.com")
KAOWU_WECHAT_API_URL = os.environ.get("KAOWU_WECHAT_API_URL", "https://api.weixin.qq.com")
# 账号申诉: the face check provider (支付宝人脸识别; the development one simulates it on this site), how
# long its QR code works, and the longest appeal video accepted.
KAOWU_FACE_CHECK_PROVIDER = os.environ.get("KAOWU_FACE_CHECK_PROVIDER", "kaowu.appeals.facecheck.DevFaceCheckProvider")
KAOWU_FACE_CHECK_QR_SECONDS = env_int("KAOWU_FACE_CHECK_QR_SECONDS", 60)
# The face check service broker (kaowu.appeals.facecheck.HttpsFaceCheckProvider): base URL, app id and
# the HMAC-SHA256 secret of its signed JSON requests (kaowu/core/providers.py).
KAOWU_FACE_CHECK_URL = os.environ.get("KAOWU_FACE_CHECK_URL", "")
KAOWU_FACE_CHECK_APP_ID = os.environ.get("KAOWU_FACE_CHECK_APP_ID", "")
KAOWU_FACE_CHECK_SECRET = os.environ.get("KAOWU_FACE_CHECK_SECRET", "")
KAOWU_APPEAL_VIDEO_MAX_SECONDS = env_int("KAOWU_APPEAL_VIDEO_MAX_SECONDS", 120)
# 毕业申请 › 学历认证: the provider checking a 本科 graduate's 专科 diploma online (学信网; the development one
# answers for documented test numbers, kaowu/graduation/degreecheck.py), and its broker's URL, app id and
# HMAC-SHA256 secret (kaowu.graduation.degreecheck.HttpsDegreeCheckProvider, kaowu/core/providers.py).
KAOWU_DEGREE_CHECK_PROVIDER = os.environ.get("KAOWU_DEGREE_CHECK_PROVIDER",
                                             "kaowu.graduation.degreecheck.DevDegreeCheckProvider")
KAOWU_DEGREE_CHECK_URL = os.environ.get("KAOWU_DEGREE_CHECK_URL", "")
KAOWU_DEGREE_CHECK_APP_ID = os.environ.get("KAOWU_DEGREE_CHECK_APP_ID", "")
KAOWU_DEGREE_CHECK_SECRET = os.environ.get("KAOWU_DEGREE_CHECK_SECRET", "")
# Identity verification (photos and offline face comparison).
KAOWU_UPLOAD_MAX_BYTES = env_int("KAOWU_UPLOAD_MAX_BYTES", 2 * 1024 * 1024)
KAOWU_IMAGE_MAX_PIXELS = env_int("KAOWU_IMAGE_MAX_PIXELS", 40_000_000)
# Spreadsheet imports (kaowu.core.spreadsheets): the largest file, and the largest uncompressed size of an
# .xlsx (a 1,000,000-row score file is about 175 MB uncompressed).
KAOWU_IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("KAOWU_IMPORT_MAX_UNCOMPRESSED_BYTES", 512 * 1024 * 1024)
KAOWU_FACE_MATCH_THRESHOLD = float(os.environ.get("KAOWU_FACE_MATCH_THRESHOLD", "0.6"))
KAOWU_IDENTITY_REGISTRY_PROVIDER = os.environ.get("KAOWU_IDENTITY_REGISTRY_PROVIDER",
                                                  "kaowu.identity.registry.DevIdentityRegistry")
# The province's 公安 identity service broker (kaowu.identity.registry.HttpsIdentityRegistry): URL, app id
# and the HMAC-SHA256 secret of its signed JSON requests (kaowu/core/providers.py).
KAOWU_IDENTITY_REGISTRY_URL = os.environ.get("KAOWU_IDENTITY_REGISTRY_URL", "")
KAOWU_IDENTITY_REGISTRY_APP_ID = os.environ.get("KAOWU_IDENTITY_REGISTRY_APP_ID", "")
KAOWU_IDENTITY_REGISTRY_SECRET = os.environ.get("KAOWU_IDENTITY_REGISTRY_SECRET", "")
# Photos of verifications that did not pass are deleted after this many days.
KAOWU_IDENTITY_PHOTO_RETENTION_DAYS = env_int("KAOWU_IDENTITY_PHOTO_RETENTION_DAYS", 30)
# Which province this deployment serves (region code of the province).
KAOWU_PROVINCE_CODE = os.environ.get("KAOWU_PROVINCE_CODE", "620000")
# 成绩: the pass line (a score at or above it, without 缺考 / 违纪, passes the course).
KAOWU_PASS_SCORE = env_int("KAOWU_PASS_SCORE", 60)
# 毕业论文答辩申请: how many theory courses (理论课程) of his major's plan a candidate may still lack and apply
# (0: every theory course passed first). Set by the province; the courses are counted by kaowu.graduation.
KAOWU_THESIS_THEORY_MISSING_ALLOWED = env_int("KAOWU_THESIS_THEORY_MISSING_ALLOWED", 1)
# Public holidays (YYYY-MM-DD, comma-separated) that are not working days (成绩复核: 3 working days to upload the form).
KAOWU_HOLIDAYS = env_list("KAOWU_HOLIDAYS", [])
# 考场编排: the rule that seats candidates in rooms (dotted path of a function; see kaowu/exams/arrangement.py).
KAOWU_ARRANGEMENT_RULE = os.environ.get("KAOWU_ARRANGEMENT_RULE", "kaowu.exams.arrangement.arrange_by_course")

# --- Payments (微信支付, 支付宝, 银联, 政付通): the provider class of each channel offered, as
# "channel=dotted.path,…" in display order. The development gateway serves all four by default.
_DEV_PAYMENT_PROVIDER = "kaowu.payments.providers.dev.DevGatewayProvider"
KAOWU_PAYMENT_PROVIDERS = dict(
    (part.split("=", 1)[0].strip(), part.split("=", 1)[1].strip())
    for part in env_list("KAOWU_PAYMENT_PROVIDERS", [f"{channel}={_DEV_PAYMENT_PROVIDER}" for channel in
                                                     ("wechat", "alipay", "unionpay", "zhengfutong")])
)
# Minutes a 待缴费 order may be paid before it expires.
KAOWU_PAYMENT_ORDER_EXPIRY_MINUTES = env_int("KAOWU_PAYMENT_ORDER_EXPIRY_MINUTES", 30)
# 考籍转出手续费 (yuan), billed when a transfer-out application is first saved.
KAOWU_TRANSFER_OUT_FEE = os.environ.get("KAOWU_TRANSFER_OUT_FEE", "50.00")
# 实践性环节报名费 (yuan) per practical course, one order line each, billed when the candidate saves
# his 实践性环节报名.
KAOWU_PRACTICAL_FEE = os.environ.get("KAOWU_PRACTICAL_FEE", "60.00")
# 电子转考: the home province's Ed25519 private key (PEM file) signing exported transfer packages;
# unset, one is generated into the var dir on first use (development).
KAOWU_TRANSFER_SIGNING_KEY = os.environ.get("KAOWU_TRANSFER_SIGNING_KEY",
                                            str(VAR_DIR / "transfer_signing_key.pem"))
# The development gateway: shared secret of its signed notifications (derived from SECRET_KEY unless
# set), and what its cashier proposes for the notification (normal, late, duplicate or lost) and delay.
KAOWU_PAYMENT_DEV_SECRET = os.environ.get("KAOWU_PAYMENT_DEV_SECRET") or hashlib.sha256(
    f"kaowu-dev-gateway:{SECRET_KEY}".encode()).hexdigest()
KAOWU_PAYMENT_DEV_NOTIFY = os.environ.get("KAOWU_PAYMENT_DEV_NOTIFY", "normal")
KAOWU_PAYMENT_DEV_NOTIFY_DELAY_SECONDS = env_int("KAOWU_PAYMENT_DEV_NOTIFY_DELAY_SECONDS", 60)
# The notify URL: a notification signed longer ago (or further ahead) than this is refused, as the
# gateways' own SDKs do; the largest body taken; and per client IP and minute, how many POSTs, and how
# many refused ones (bad signature, stale, unknown order), before it answers 429.
KAOWU_PAYMENT_NOTIFY_MAX_AGE_SECONDS = env_int("KAOWU_PAYMENT_NOTIFY_MAX_AGE_SECONDS", 300)
KAOWU_PAYMENT_NOTIFY_MAX_BYTES = env_int("KAOWU_PAYMENT_NOTIFY_MAX_BYTES", 64 * 1024)
KAOWU_PAYMENT_NOTIFY_PER_MINUTE = env_int("KAOWU_PAYMENT_NOTIFY_PER_MINUTE", 600)
KAOWU_PAYMENT_NOTIFY_REFUSED_PER_MINUTE = env_int("KAOWU_PAYMENT_NOTIFY_REFUSED_PER_MINUTE", 20)

# --- E-mail: the development backend delivers into the dev inbox.
EMAIL_BACKEND = os.environ.get("KAOWU_EMAIL_BACKEND", "kaowu.notifications.email.DevInboxEmailBackend")
EMAIL_HOST = os.environ.get("KAOWU_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("KAOWU_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("KAOWU_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KAOWU_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KAOWU_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("KAOWU_EMAIL_FROM", "noreply@kaowu.localhost")

# --- i18n: Simplified Chinese by default, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "kaowu" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files (vendored assets only; nothing from the network).
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("KAOWU_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-public/"  # uploads are served only through permission-checked views
# Production runs collectstatic and serves hashed, compressed files (KAOWU_STATIC_MANIFEST=1);
# the embedded site serves the vendored files straight from the apps.
STATIC_MANIFEST = env_bool("KAOWU_STATIC_MANIFEST", False)
# Uploaded files are encrypted at rest (kaowu/core/storage.py) with the data keys below.
STORAGES = {
    "default": {"BACKEND": os.environ.get("KAOWU_FILE_STORAGE", "kaowu.core.storage.EncryptedFileSystemStorage")},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST  # the embedded site picks up edited static files
# collectstatic's target; only production (the manifest mode) has one.
STATIC_ROOT = Path(os.environ.get("KAOWU_STATIC_ROOT", VAR_DIR / "staticfiles")) if STATIC_MANIFEST else None

# --- Encryption at rest of ID numbers, phones and uploaded files (kaowu/core/crypto.py): keys outside
# the database. "keyid:base64(32 bytes),…" — the first encrypts, all decrypt (rotation); and the
# HMAC key of the lookup digests. Unset in development/demo: generated into the var dir.
KAOWU_DATA_KEYS = os.environ.get("KAOWU_DATA_KEYS", "")
KAOWU_LOOKUP_KEY = os.environ.get("KAOWU_LOOKUP_KEY", "")

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
X_FRAME_OPTIONS = "DENY"
# Behind the HTTPS-terminating proxy in production: KAOWU_SECURE_COOKIES=1, KAOWU_HSTS_SECONDS=31536000.
SECURE_HSTS_SECONDS = env_int("KAOWU_HSTS_SECONDS", 0)
# A province serves kaowu on its own host name: its parent domain's other hosts are not ours to pin to
# HTTPS, and preloading is a browser-vendor list a province enrols in by itself. Both are explicit choices.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KAOWU_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("KAOWU_HSTS_PRELOAD", False)
# Plain-HTTP requests are redirected to HTTPS by the reverse proxy in front (deploy/); with no proxy doing
# it, KAOWU_SSL_REDIRECT=1 makes Django redirect them.
SECURE_SSL_REDIRECT = env_bool("KAOWU_SSL_REDIRECT", False)
# The proxy already redirects (or Django does): `check --deploy` need not warn about it.
SILENCED_SYSTEM_CHECKS = ["security.W008", "security.W005", "security.W021"] if env_bool(
    "KAOWU_BEHIND_HTTPS_PROXY", False) else []
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("KAOWU_BEHIND_HTTPS_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp, on every HTML response: kaowu/core/security_headers.py). Every asset
# is the site's own and no template has inline script or style, so neither 'unsafe-inline' nor
# 'unsafe-eval'. img-src: data: for QR codes and captchas drawn as data URIs, blob: for the photo
# cropper's preview. form-action: a real payment provider's cashier that the 去缴费 form redirects to
# must be listed in KAOWU_CSP_FORM_ACTION (browsers apply form-action to the redirect).
# KAOWU_CSP_REPORT_ONLY=1 sends the same policy as Content-Security-Policy-Report-Only instead (a trial).
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", *env_list("KAOWU_CSP_FORM_ACTION", [])],
        "frame-ancestors": ["'none'"],
    },
}
KAOWU_CSP_REPORT_ONLY = env_bool("KAOWU_CSP_REPORT_ONLY", False)
CONTENT_SECURITY_POLICY = None if KAOWU_CSP_REPORT_ONLY else _CSP
CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP if KAOWU_CSP_REPORT_ONLY else None
# Permissions-Policy on every response: the site uses no camera (photos are chosen with a file input),
# microphone, location, payment API or device access; fullscreen only for the appeal video player.
KAOWU_PERMISSIONS_POLICY = {
    feature: [] for feature in (
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture", "geolocation",
        "gyroscope", "hid", "magnetometer", "microphone", "midi", "payment", "screen-wake-lock", "serial", "usb",
        "xr-spatial-tracking",
    )
} | {"fullscreen": ["self"]}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KAOWU_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "django.db.backends": {"level": "INFO"}},
}
