"""Settings, read from the environment. The embedded profile needs no variables at all.

Scaled profile: set DATABASE_URL (PostgreSQL), CACHE_URL (Redis), STORAGE_BACKEND=s3 and the S3
variables, SECRET_KEY and DATA_KEYS, and ONWARD_PROFILE=production.
"""

import ipaddress
import os
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("ONWARD_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()

PROFILE = env.str("ONWARD_PROFILE", default="development")  # development | production | test
PRODUCTION = PROFILE == "production"
DEBUG = env.bool("DEBUG", default=not PRODUCTION and PROFILE != "test")

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    DATA_KEYS = env.list("DATA_KEYS")
else:
    # Development keys only: production refuses to start without its own.
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-secret-key-not-for-production-use-0123456789")
    DATA_KEYS = env.list("DATA_KEYS", default=["iDVQxsPgRhUcYiCO5cLsrVF6mW0HbzEMR1p9wNDt0L4="])

# The audit trail's chain is keyed (HMAC-SHA256) with a key kept outside the database: "id:secret" entries,
# newest first. New events use the first; older keys stay listed so that older events still verify. See
# docs/audit.md for rotation. A signed checkpoint of the chain's head is appended every hour to
# AUDIT_CHECKPOINT_PATH, a file the database role cannot change (empty: no checkpoints are written).
if PRODUCTION:
    AUDIT_KEYS = env.list("AUDIT_KEYS")
else:
    AUDIT_KEYS = env.list("AUDIT_KEYS", default=["dev1:dev-only-audit-key-not-for-production-use-0123456789"])
AUDIT_CHECKPOINT_PATH = env.str("AUDIT_CHECKPOINT_PATH", default=str(VAR_DIR / "audit-checkpoints.jsonl"))

# The site's public address, e.g. https://onward.example: every link sent in a text message or email, and
# the address printed on letters and certificates, starts with it. Production must set it.
_LOCAL_ADDRESS = f"http://127.0.0.1:{env.int('PORT', default=8000)}"  # where `make run` serves
PUBLIC_BASE_URL = (
    env.str("PUBLIC_BASE_URL") if PRODUCTION else env.str("PUBLIC_BASE_URL", default=_LOCAL_ADDRESS)
).rstrip("/")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # Onward's apps in their layers, lowest first (docs/README.md; tests/test_architecture.py keeps it so).
    "onward.core",
    "onward.organisations",
    "onward.audit",
    "onward.jobs",
    "onward.people",
    "onward.accounts",
    "onward.notifications",
    "onward.biometrics",
    "onward.alerts",
    "onward.library",
    "onward.appointments",
    "onward.directory",
    "onward.learning",
    "onward.messaging",
    "onward.checkins",
    "onward.curfew",
    "onward.resettlement",
    "onward.opportunities",
    "onward.reports",
    "onward.api",
    "onward.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "onward.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "onward.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "onward.api.middleware.DeviceTokenRotationMiddleware",
    # After sign-in, so the plain 400 page can show the header for whoever is signed in.
    "onward.core.middleware.NullCharacterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "onward" / "templates"],
        "APP_DIRS": False,
        # Undefined values print as nothing, never as Jinja's debugging text (tests fail on them instead:
        # config/settings_test.py).
        "OPTIONS": {"environment": "onward.core.jinja.environment", "undefined": "jinja2.Undefined"},
    },
    {
        # Django's own templates (the admin) stay on the Django engine.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]
FORM_RENDERER = "onward.core.forms.FormRenderer"  # errors name their field (onward/core/forms.py)

# --- Database -------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "onward.sqlite3"
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # Tests use a file, not memory, so that worker threads and processes share one database.
    # One file per test run (by process id), so that two runs on one machine never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# On PostgreSQL, migrations (run as the tables' owner) give this role what the application needs, less UPDATE,
# DELETE and TRUNCATE on audit events. The application signs in as a role that is a member of it (docs/audit.md).
DATABASE_APP_ROLE = env.str("DATABASE_APP_ROLE", default="onward_app")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://onward_cache")}

# --- Files ----------------------------------------------------------------------------------
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="local")  # local | s3
if STORAGE_BACKEND == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default=None),
            "region_name": env.str("S3_REGION", default=None),
            "access_key": env.str("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Private: never served by a URL of its own; files go out through checked views.
        "OPTIONS": {"location": str(env.str("MEDIA_ROOT", default=str(VAR_DIR / "private"))), "base_url": None},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "onward.core.storage.StaticStorage"},
}
MEDIA_URL = None
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "build" / "static", BASE_DIR / "onward" / "static"]

# --- Accounts and sign-in -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:staff_sign_in"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env.int("STAFF_SIGN_IN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("STAFF_LOCKOUT_HOURS", default=1)
# Lock by account only: prison and probation offices share one address, so locking an address
# would lock a whole establishment out.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "onward.accounts.views.staff_locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

PERSON_PIN_FAILURE_LIMIT = 5  # wrong PINs in a row before each further try must wait
PERSON_PIN_WAIT_FIRST_MINUTES = env.int("PERSON_PIN_WAIT_FIRST_MINUTES", default=1)  # doubles with each wrong PIN
PERSON_PIN_WAIT_MAX_MINUTES = env.int("PERSON_PIN_WAIT_MAX_MINUTES", default=15)  # never longer than this
# Wrong PINs, staff passwords and codes from one network address within SIGN_IN_ADDRESS_WINDOW_MINUTES:
# beyond the limit, that address must wait for the window to pass. Prisons and probation offices put
# many people behind one address: list those networks, which get the higher limit.
SIGN_IN_ADDRESS_WINDOW_MINUTES = env.int("SIGN_IN_ADDRESS_WINDOW_MINUTES", default=15)
SIGN_IN_ADDRESS_FAILURE_LIMIT = env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=30)
SIGN_IN_SHARED_NETWORKS = env.list("SIGN_IN_SHARED_NETWORKS", default=[])  # e.g. 10.20.0.0/16,192.0.2.0/24
for _network in SIGN_IN_SHARED_NETWORKS:
    try:
        ipaddress.ip_network(_network.strip(), strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"SIGN_IN_SHARED_NETWORKS: {_network!r} is not a network. Write them like 10.20.0.0/16,192.0.2.0/24."
        ) from None
SIGN_IN_SHARED_ADDRESS_FAILURE_LIMIT = env.int("SIGN_IN_SHARED_ADDRESS_FAILURE_LIMIT", default=300)
# Sign-in codes by text or email: at most this many asks per phone number or email address, per
# network address and in all, each in an hour; and a wait between two codes to one number.
SIGN_IN_CODE_PER_CONTACT_PER_HOUR = env.int("SIGN_IN_CODE_PER_CONTACT_PER_HOUR", default=5)
SIGN_IN_CODE_PER_ADDRESS_PER_HOUR = env.int("SIGN_IN_CODE_PER_ADDRESS_PER_HOUR", default=20)
SIGN_IN_CODE_SHARED_ADDRESS_PER_HOUR = env.int("SIGN_IN_CODE_SHARED_ADDRESS_PER_HOUR", default=200)
SIGN_IN_CODE_TOTAL_PER_HOUR = env.int("SIGN_IN_CODE_TOTAL_PER_HOUR", default=2000)
SIGN_IN_CODE_COOL_DOWN_SECONDS = env.int("SIGN_IN_CODE_COOL_DOWN_SECONDS", default=60)
# Device tokens (the phone app's bearer tokens): a lifetime, an idle limit, and a new secret as they are
# used. Custody devices are shared tablets: they follow the custody idle limit of web sessions.
DEVICE_TOKEN_LIFETIME_DAYS = env.int("DEVICE_TOKEN_LIFETIME_DAYS", default=90)
DEVICE_TOKEN_IDLE_DAYS = env.int("DEVICE_TOKEN_IDLE_DAYS", default=14)
DEVICE_TOKEN_ROTATE_MINUTES = env.int("DEVICE_TOKEN_ROTATE_MINUTES", default=5)  # 0: a new secret on every use
DEVICE_TOKEN_GRACE_SECONDS = env.int("DEVICE_TOKEN_GRACE_SECONDS", default=120)  # the old secret still works
# Staff authenticator set-up: an administrator issues a one-use code; it runs out after this.
AUTHENTICATOR_ENROLMENT_HOURS = env.int("AUTHENTICATOR_ENROLMENT_HOURS", default=72)
ACTIVATION_CODE_DAYS = 7
ONE_TIME_CODE_MINUTES = 10
ONE_TIME_CODE_FAILURE_LIMIT = 5
SIGN_IN_LINK_FAILURE_LIMIT = 5

SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# In-cell tablets and kiosks are shared: a person in custody is signed out sooner.
CUSTODY_SESSION_IDLE_MINUTES = env.int("CUSTODY_SESSION_IDLE_MINUTES", default=10)
CUSTODY_DEVICE_TOKEN_IDLE_MINUTES = env.int("CUSTODY_DEVICE_TOKEN_IDLE_MINUTES", default=CUSTODY_SESSION_IDLE_MINUTES)
CUSTODY_DEVICE_TOKEN_LIFETIME_HOURS = env.int("CUSTODY_DEVICE_TOKEN_LIFETIME_HOURS", default=12)
SESSION_SAVE_EVERY_REQUEST = True  # so the age above is idle time, not time since sign-in
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
OTP_TOTP_ISSUER = "Onward"

# --- Security headers -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# --- Language -------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/London"
USE_TZ = True

# --- Jobs -----------------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "notifications"],
    }
}
WORKER_HEARTBEAT_STALE_SECONDS = 120

# --- Notifications --------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Onward <no-reply@onward.invalid>")
SMS_CHANNEL = env.str("SMS_CHANNEL", default="onward.notifications.channels.LogSmsChannel")
SMS_LOG_PATH = VAR_DIR / "sms.log"
OUTBOX_MAX_ATTEMPTS = 6
OUTBOX_BACKOFF_BASE_SECONDS = 30

# --- Logging: ids, never names or dates of birth --------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

ONWARD_SERVICE_NAME = "Onward"
# Where people write about the service itself (a problem with it, their information, accessibility).
# Empty: the help pages tell people to ask their key worker or probation practitioner.
SERVICE_CONTACT_EMAIL = env.str("SERVICE_CONTACT_EMAIL", default="")

# --- People in bulk (manage.py people_import, the staff upload page, POST /api/v1/people/import) ---
PEOPLE_IMPORT_MAX_BYTES = env.int("PEOPLE_IMPORT_MAX_BYTES", default=32 * 1024 * 1024)  # about 150,000 rows
# An uploaded file waits this long between its preview and the confirmation, then is deleted.
PEOPLE_IMPORT_PREVIEW_MINUTES = env.int("PEOPLE_IMPORT_PREVIEW_MINUTES", default=30)

# --- Check-ins ---
CHECKIN_WINDOW_HOURS = env.int("CHECKIN_WINDOW_HOURS", default=72)
# Reminders before a check-in window ends (minutes); sent by the reminders job, quiet hours respected.
CHECKIN_REMINDER_OFFSETS_MINUTES = env.list("CHECKIN_REMINDER_OFFSETS_MINUTES", cast=int, default=[24 * 60])
CHECKIN_FACE_ATTEMPTS_MAX = 3
# A face check still pending this long after it was queued or started (a worker died) is queued again once,
# then failed plainly with the person's try given back (checkins.services.verifications_stale_sweep).
CHECKIN_VERIFICATION_STALE_MINUTES = env.int("CHECKIN_VERIFICATION_STALE_MINUTES", default=15)
CHECKIN_EXTRA_QUESTIONS_MAX = 3
CHECKIN_PHOTO_MAX_BYTES = 8 * 1024 * 1024
CHECKIN_VIDEO_MAX_BYTES = 25 * 1024 * 1024
CHECKIN_REFERENCE_PHOTO_MAX_BYTES = 8 * 1024 * 1024
CHECKIN_AT_ADDRESS_RADIUS_M = env.float("CHECKIN_AT_ADDRESS_RADIUS_M", default=100.0)
CHECKIN_LOCATION_MAX_ACCURACY_M = env.float("CHECKIN_LOCATION_MAX_ACCURACY_M", default=250.0)
CHECKIN_STRONG_MATCH_DISTANCE = 0.4
CHECKIN_RETENTION_NO_MATCH_DAYS = env.int("CHECKIN_RETENTION_NO_MATCH_DAYS", default=28)
CHECKIN_RETENTION_MATCH_DAYS = env.int("CHECKIN_RETENTION_MATCH_DAYS", default=7)
CHECKIN_RETENTION_CONCERN_DAYS = env.int("CHECKIN_RETENTION_CONCERN_DAYS", default=6 * 365)
CHECKIN_RETENTION_UNREVIEWED_DAYS = env.int("CHECKIN_RETENTION_UNREVIEWED_DAYS", default=28)
CHECKIN_STATISTICS_DAYS = 28
# A check-in's photos and videos are kept while an alert raised around it waits, and this long after it closes.
CHECKIN_RETENTION_AFTER_ALERT_DAYS = env.int("CHECKIN_RETENTION_AFTER_ALERT_DAYS", default=28)

# --- Voice (issue 13): speaker check on enrolment phrases and the check-in clip's sound track ---
VOICE_VERIFIER = env.str("VOICE_VERIFIER", default="onward.biometrics.voice.Ge2eVoiceVerifier")
# Cosine similarity of GE2E embeddings to the enrolled template: at or above MATCH is a match,
# at or above REVIEW asks a practitioner to listen, below is no match. Calibrate with `manage.py voice evaluate`.
VOICE_MATCH_MIN_SIMILARITY = env.float("VOICE_MATCH_MIN_SIMILARITY", default=0.80)
VOICE_REVIEW_MIN_SIMILARITY = env.float("VOICE_REVIEW_MIN_SIMILARITY", default=0.70)
VOICE_ENROLMENT_PHRASE_COUNT = 3
VOICE_ENROLMENT_MIN_AGREEMENT = env.float("VOICE_ENROLMENT_MIN_AGREEMENT", default=0.60)  # between any two phrases
VOICE_MIN_SPEECH_SECONDS = env.float("VOICE_MIN_SPEECH_SECONDS", default=1.0)  # less: ask to record again
VOICE_MIN_SNR_DB = env.float("VOICE_MIN_SNR_DB", default=12.0)  # speech over background; less: ask to record again
VOICE_VAD_AGGRESSIVENESS = 3  # webrtcvad mode 0-3; 3 ignores most non-speech
VOICE_AUDIO_MAX_SECONDS = 20.0
# The digits read aloud at a check-in: "" turns the check off. Heard this many digits away from the
# number asked (added, left out or changed) or fewer still passes: on flite's voices the recogniser heard
# 97 of 100 numbers exactly and 98 within one digit, and a number read for another challenge is about
# five digits away.
VOICE_DIGIT_RECOGNISER = env.str(
    "VOICE_DIGIT_RECOGNISER", default="onward.biometrics.voice.PocketsphinxDigitRecogniser"
)
VOICE_DIGITS_MAX_EDITS = env.int("VOICE_DIGITS_MAX_EDITS", default=1)

# --- Biometrics -----------------------------------------------------------------------------
# Engines by dotted path, so an operator can plug in another (an ONNX model, a cloud service).
FACE_VERIFIER = env.str("FACE_VERIFIER", default="onward.biometrics.engines.DlibFaceVerifier")
# An operator's own face model instead of dlib's: FACE_VERIFIER = "onward.biometrics.onnx_engine.OnnxFaceVerifier"
FACE_ONNX_MODEL_PATH = env.str("FACE_ONNX_MODEL_PATH", default="")
FACE_ONNX_INPUT_SIZE = env.int("FACE_ONNX_INPUT_SIZE", default=112)  # used where the model's input size is dynamic
FACE_ONNX_MEAN = env.float("FACE_ONNX_MEAN", default=127.5)
FACE_ONNX_STD = env.float("FACE_ONNX_STD", default=127.5)
FACE_ONNX_CHANNEL_ORDER = env.str("FACE_ONNX_CHANNEL_ORDER", default="RGB")
FACE_ONNX_THREADS = env.int("FACE_ONNX_THREADS", default=1)
LIVENESS_CHECKER = env.str("LIVENESS_CHECKER", default="onward.biometrics.liveness.ChallengeLivenessChecker")
FACE_DETECT_MAX_SIDE_PX = 640  # images are scaled to this longest side before face detection
FACE_MATCH_MAX_DISTANCE = env.float("FACE_MATCH_MAX_DISTANCE", default=0.50)  # at or under: match
FACE_REVIEW_MAX_DISTANCE = env.float("FACE_REVIEW_MAX_DISTANCE", default=0.60)  # at or under: review
FACE_MIN_SIZE_PX = 80  # reference photo: face box width at detection scale
BIOMETRIC_BLUR_MIN_VARIANCE = 25.0  # reference photo: Laplacian variance of the face at 160 px; sharp ≥ 80
BIOMETRIC_MAX_IMAGE_BYTES = 10 * 1024 * 1024
# A photo's size in pixels is read from its header and refused above this before it is decoded: decoding
# costs memory by pixels, not bytes (a 39 KB PNG of 40 million pixels took 460 MB). 13 million covers a
# phone camera's 4032 x 3024; faces are found on a copy scaled to FACE_DETECT_MAX_SIDE_PX anyway.
BIOMETRIC_MAX_IMAGE_PIXELS = env.int("BIOMETRIC_MAX_IMAGE_PIXELS", default=13_000_000)
BIOMETRIC_MAX_VIDEO_BYTES = 25 * 1024 * 1024
BIOMETRIC_VIDEO_MIN_SECONDS = 2.0
BIOMETRIC_VIDEO_MAX_SECONDS = 8.0
BIOMETRIC_VIDEO_SAMPLE_FPS = 3.0
BIOMETRIC_VIDEO_MAX_FRAMES = 15
BIOMETRIC_FRAME_MAX_SIDE_PX = 640  # video frames are decoded at this longest side
BIOMETRIC_VIDEO_MIRRORED = env.bool("BIOMETRIC_VIDEO_MIRRORED", default=False)  # see engines.py
BIOMETRIC_REVIEW_JPEG_QUALITY = 85
# Liveness against a challenge (onward/biometrics/liveness.py explains each check).
LIVENESS_CHALLENGE_SECONDS = 180  # a challenge must be recorded within this long of being issued
LIVENESS_UPLOAD_GRACE_SECONDS = 120  # ...and its clip arrive within this long after it expired (slow signal)
LIVENESS_CLOCK_SKEW_SECONDS = 10  # slack on the recording times a phone reports
CHECKIN_MEDIA_SIMILAR_MAX_BITS = 3  # perceptual hashes this close (of 64 bits) are the same picture
LIVENESS_SAMPLE_FPS = 10.0  # challenge clips are sampled this often (a blink lasts 0.1-0.4 s)
LIVENESS_MAX_FRAMES = 90
LIVENESS_TRACK_MAX_SIDE_PX = 320  # frames are scaled to this longest side to find and follow landmarks
LIVENESS_DETECT_EVERY_N_FRAMES = env.int("LIVENESS_DETECT_EVERY_N_FRAMES", default=1)  # 1: the detector on every frame
LIVENESS_OFFSET_MIN_MS = -200  # recording start to the first colour: searched in this range
LIVENESS_OFFSET_MAX_MS = 1000
LIVENESS_COLOUR_EDGE_MS = 150  # frames this close to a colour change are left out
LIVENESS_COLOUR_MIN_CORRELATION = 0.6
LIVENESS_COLOUR_MIN_RESPONSE = 0.02  # face chromaticity change per unit of screen chromaticity
LIVENESS_COLOUR_FACE_OVER_BACKGROUND = 2.0
LIVENESS_REACTION_MS = 200  # a move is looked for from this long after its prompt...
LIVENESS_LATE_MS = 500  # ...to this long after its step ends
LIVENESS_MIN_TURN_DEG = 12.0  # from the resting pose, as dlib's points read it (they under-read big turns)
LIVENESS_MIN_PITCH_DEG = 8.0
LIVENESS_CALM_YAW_DEG = 10.0
LIVENESS_BLINK_EYE_RATIO = 0.8  # a blink: the eyes at most this share of their resting openness
LIVENESS_MIN_NOSE_DEPTH = 0.12  # eye distances; a rigid head about 0.3-0.5, a flat or folded print about 0
LIVENESS_SAME_PERSON_MAX_DISTANCE = FACE_REVIEW_MAX_DISTANCE

# --- Messaging ---
MESSAGING_MESSAGE_MAX_CHARS = 2000
MESSAGING_PERSON_MESSAGES_PER_HOUR = env.int("MESSAGING_PERSON_MESSAGES_PER_HOUR", default=30)
MESSAGING_CONTACT_MESSAGES_PER_DAY = env.int("MESSAGING_CONTACT_MESSAGES_PER_DAY", default=20)
MESSAGING_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
MESSAGING_ATTACHMENTS_PER_MESSAGE_MAX = 3
MESSAGING_CONTACT_LINK_DAYS = env.int("MESSAGING_CONTACT_LINK_DAYS", default=14)
MESSAGING_DEFAULT_RISK_TERMS = ["kill myself", "end it all", "hurt myself", "self harm", "suicide", "kill you"]
# Drafts (what someone is writing and has not sent) are deleted after this many days untouched.
MESSAGING_DRAFT_RETENTION_DAYS = env.int("MESSAGING_DRAFT_RETENTION_DAYS", default=30)
# Uploading a file of screening terms: at most this many bytes and lines.
MESSAGING_WORD_LIST_UPLOAD_MAX_BYTES = env.int("MESSAGING_WORD_LIST_UPLOAD_MAX_BYTES", default=512 * 1024)
MESSAGING_WORD_LIST_UPLOAD_MAX_LINES = env.int("MESSAGING_WORD_LIST_UPLOAD_MAX_LINES", default=20000)

# --- Alerts ---
# An open high-severity alert nobody has acknowledged goes to the senior practitioners after this many
# working minutes (Monday to Friday, 09:00-17:00 London time, not on England and Wales bank holidays).
ALERT_ESCALATION_WORKING_MINUTES = env.int("ALERT_ESCALATION_WORKING_MINUTES", default=4 * 60)
# A closed alert is deleted this many days after it was closed (the audit trail keeps the decision).
ALERT_RETENTION_CLOSED_DAYS = env.int("ALERT_RETENTION_CLOSED_DAYS", default=2 * 365)
# Requests ("apps") that are closed or withdrawn go this long after they were closed.
REQUEST_RETENTION_CLOSED_DAYS = env.int("REQUEST_RETENTION_CLOSED_DAYS", default=2 * 365)
# Documents kept for a person (ID, licence, CV, certificates, letters): JPEG, PNG or PDF up to this size.
RESETTLEMENT_DOCUMENT_MAX_BYTES = env.int("RESETTLEMENT_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
# A removed document's file and row go this many days after it was removed (time to undo a mistake).
RESETTLEMENT_DOCUMENT_REMOVED_DAYS = env.int("RESETTLEMENT_DOCUMENT_REMOVED_DAYS", default=30)

# --- Curfew, zones and location fixes ---
# Each curfew window must last at least / at most this many hours by the clock. The default minimum is the
# Home Detention Curfew's 9 hours a day (Criminal Justice Act 2003, s.253); the maximum is the Sentencing
# Code's 20 hours a day for a curfew requirement (Schedule 9, para 9, as amended in 2022). Set both for your orders.
CURFEW_MIN_HOURS_PER_NIGHT = env.float("CURFEW_MIN_HOURS_PER_NIGHT", default=9.0)
CURFEW_MAX_HOURS_PER_NIGHT = env.float("CURFEW_MAX_HOURS_PER_NIGHT", default=20.0)
# The Sentencing Code's 112 hours in any 7 days, for the weekly pattern.
CURFEW_MAX_HOURS_PER_WEEK = env.float("CURFEW_MAX_HOURS_PER_WEEK", default=112.0)
# How far from the curfew address's stored point counts as at home when no other zone is drawn.
CURFEW_ADDRESS_RADIUS_M = env.float("CURFEW_ADDRESS_RADIUS_M", default=75.0)
# At most this many fixes in one POST /api/v1/location/fixes, and how late a fix may arrive.
LOCATION_FIX_BATCH_MAX = env.int("LOCATION_FIX_BATCH_MAX", default=500)
LOCATION_FIX_MAX_AGE_DAYS = env.int("LOCATION_FIX_MAX_AGE_DAYS", default=14)
LOCATION_FIX_MAX_FUTURE_MINUTES = 5
LOCATION_FIX_MAX_ACCURACY_M = env.float("LOCATION_FIX_MAX_ACCURACY_M", default=5000.0)
# A violation opens on sustained evidence only: this many certain fixes at least this many minutes apart
# (with no fix in between showing the opposite), or one fix whose accuracy is better than the last setting.
LOCATION_VIOLATION_MIN_FIXES = env.int("LOCATION_VIOLATION_MIN_FIXES", default=2)
LOCATION_VIOLATION_MIN_MINUTES = env.float("LOCATION_VIOLATION_MIN_MINUTES", default=5.0)
LOCATION_VIOLATION_SINGLE_FIX_ACCURACY_M = env.float("LOCATION_VIOLATION_SINGLE_FIX_ACCURACY_M", default=50.0)
# Spoofing signals: faster than this between two fixes (after taking off both accuracies) is impossible;
# an accuracy better than this is too good to be true for a phone.
LOCATION_SPOOF_SPEED_MAX_KMH = env.float("LOCATION_SPOOF_SPEED_MAX_KMH", default=250.0)
LOCATION_SPOOF_ACCURACY_MIN_M = env.float("LOCATION_SPOOF_ACCURACY_MIN_M", default=2.0)
# Which country an IP address is in: a dotted path to a function (ip: str) -> "GB" | other code | None.
# No offline source ships with Onward, so the default knows nothing and raises no flag; see docs/location.md.
LOCATION_IP_COUNTRY_LOOKUP = env.str("LOCATION_IP_COUNTRY_LOOKUP", default="onward.curfew.ip_country.unknown")
LOCATION_IP_COUNTRIES_ALLOWED = env.list("LOCATION_IP_COUNTRIES_ALLOWED", default=["GB", "IM", "JE", "GG"])
# Map tiles for the staff maps: a URL template with {z}/{x}/{y}, and its attribution. Empty: no tiles, and the
# maps draw zones and fixes on a plain grid in metres, which is also what shows when tiles cannot be reached.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")
# Random check-ins in curfew hours: at most this many a night, never two within the gap, each answered
# within the window (minutes).
CURFEW_CHECKINS_PER_NIGHT_MAX = env.int("CURFEW_CHECKINS_PER_NIGHT_MAX", default=4)
CURFEW_CHECKIN_MIN_GAP_MINUTES = env.int("CURFEW_CHECKIN_MIN_GAP_MINUTES", default=60)
CURFEW_CHECKIN_WINDOW_MINUTES = env.int("CURFEW_CHECKIN_WINDOW_MINUTES", default=15)
# Fixes are kept this long after they were recorded, unless an open alert needs them.
LOCATION_FIX_RETENTION_DAYS = env.int("LOCATION_FIX_RETENTION_DAYS", default=90)

# --- Appointments ---
import datetime  # noqa: E402  (quiet hours are times of day)

APPOINTMENT_REMINDER_OFFSETS_MINUTES = [48 * 60, 2 * 60]  # default: 48 hours and 2 hours before
APPOINTMENT_REMINDER_OFFSETS_MINUTES_BY_KIND: dict[str, list[int]] = {"drug_test": [24 * 60, 2 * 60]}
APPOINTMENT_PLAN_AHEAD_DAYS = 14  # the planning job looks this far beyond the longest offset
APPOINTMENT_QUIET_START = datetime.time(21, 0)
APPOINTMENT_QUIET_END = datetime.time(8, 0)
APPOINTMENT_DEFAULT_CHANNEL = env.str("APPOINTMENT_DEFAULT_CHANNEL", default="sms")
APPOINTMENT_ABSENCES_BEFORE_ALERT = env.int("APPOINTMENT_ABSENCES_BEFORE_ALERT", default=2)
APPOINTMENT_ABSENCE_PERIOD_DAYS = env.int("APPOINTMENT_ABSENCE_PERIOD_DAYS", default=365)
APPOINTMENT_NOTE_MAX_CHARS = 1000
APPOINTMENT_SMS_REPLIES = env.bool("APPOINTMENT_SMS_REPLIES", default=True)
APPOINTMENT_CALENDAR_PAST_DAYS = 90
# Bank holidays: the nation whose holidays apply to a unit (and the units below it). Default England and
# Wales; e.g. APPOINTMENT_BANK_HOLIDAY_DIVISION_BY_UNIT="PDU-GLA=scotland,PDU-BEL=northern-ireland" (unit codes).
APPOINTMENT_BANK_HOLIDAY_DIVISION = env.str("APPOINTMENT_BANK_HOLIDAY_DIVISION", default="england-and-wales")
APPOINTMENT_BANK_HOLIDAY_DIVISION_BY_UNIT: dict[str, str] = env.dict(
    "APPOINTMENT_BANK_HOLIDAY_DIVISION_BY_UNIT", default={}
)

# --- Appointment slots a person books themselves ---
APPOINTMENT_SLOT_MIN_NOTICE_HOURS = env.int("APPOINTMENT_SLOT_MIN_NOTICE_HOURS", default=2)
APPOINTMENT_SLOT_SELF_BOOKED_MAX_PER_KIND = env.int("APPOINTMENT_SLOT_SELF_BOOKED_MAX_PER_KIND", default=1)
APPOINTMENT_SLOT_BOOKING_AHEAD_DAYS = env.int("APPOINTMENT_SLOT_BOOKING_AHEAD_DAYS", default=28)
APPOINTMENT_SLOT_LENGTHS_MINUTES = [15, 20, 30, 45, 60, 90, 120]
APPOINTMENT_SLOTS_PER_OPENING_MAX = 48  # one opening makes at most this many slots

# --- Services directory ---
# "Near me" lists the services within this distance, nearest first (a box on indexed columns, then exact).
DIRECTORY_NEAR_ME_RADIUS_KM = env.int("DIRECTORY_NEAR_ME_RADIUS_KM", default=25)
DIRECTORY_RESULTS_MAX = 50
DIRECTORY_OPEN_NOW_SCAN_MAX = 500  # rows looked through to find DIRECTORY_RESULTS_MAX that are open now
DIRECTORY_SEARCH_WORDS_MAX = 6
DIRECTORY_CHECK_DUE_DAYS = env.int("DIRECTORY_CHECK_DUE_DAYS", default=180)  # editors see entries not checked since
DIRECTORY_POSITION_DECIMALS = 3  # a phone's position is rounded to about 100 m before it is sent

# GOV.UK Notify (SMS_CHANNEL / EMAIL_CHANNEL = onward.notifications.notify.NotifySmsChannel / NotifyEmailChannel).
EMAIL_CHANNEL = env.str("EMAIL_CHANNEL", default="onward.notifications.channels.EmailChannel")
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
NOTIFY_SMS_TEMPLATE_ID = env.str("NOTIFY_SMS_TEMPLATE_ID", default="")
NOTIFY_EMAIL_TEMPLATE_ID = env.str("NOTIFY_EMAIL_TEMPLATE_ID", default="")
NOTIFY_CALLBACK_BEARER_TOKEN = env.str("NOTIFY_CALLBACK_BEARER_TOKEN", default="")
NOTIFY_TIMEOUT_SECONDS = 10

# --- Web push -------------------------------------------------------------------------------
# Notifications to the installed web app. Push is offered only when all three are set; without
# them (the embedded default) nobody is offered push and reminders go by text, email or in the app.
# `manage.py vapid_keys` prints a new pair. The private key is a secret: environment only.
VAPID_PRIVATE_KEY = env.str("VAPID_PRIVATE_KEY", default="")  # base64url, the raw 32-byte P-256 key
VAPID_PUBLIC_KEY = env.str("VAPID_PUBLIC_KEY", default="")  # base64url, the 65-byte uncompressed point
VAPID_SUBJECT = env.str("VAPID_SUBJECT", default="")  # mailto:team@example.org or https://… (who to contact)
PUSH_CHANNEL = env.str("PUSH_CHANNEL", default="onward.notifications.channels.PushChannel")
# Push services a subscription may point at (the host or a parent domain); any other is refused.
PUSH_SERVICE_HOSTS = env.list(
    "PUSH_SERVICE_HOSTS",
    default=["fcm.googleapis.com", "push.services.mozilla.com", "push.apple.com", "notify.windows.com"],
)
PUSH_TIMEOUT_SECONDS = 10
PUSH_TTL_SECONDS = 24 * 60 * 60  # how long a push service keeps a message for a phone that is off
PUSH_BODY_MAX_CHARS = 1000  # push payloads are at most about 4 KB once encrypted
# --- Learning: courses, certificates, self-assessments ---
# Public certificate checks each address may make in an hour (codes are long and random as well).
CERTIFICATE_VERIFY_PER_HOUR = env.int("CERTIFICATE_VERIFY_PER_HOUR", default=30)
# The address printed on certificates for anyone to check them ("" = PUBLIC_BASE_URL).
CERTIFICATE_VERIFY_BASE_URL = env.str("CERTIFICATE_VERIFY_BASE_URL", default="")
LESSON_MEDIA_MAX_BYTES = 200 * 1024 * 1024  # an audio or video lesson uploaded by an editor
# --- Library ---
LIBRARY_MEDIA_MAX_BYTES = env.int("LIBRARY_MEDIA_MAX_BYTES", default=100 * 1024 * 1024)  # audio, video and PDFs

# --- Request bodies (onward/core/body_limit.py, in config/wsgi.py) ---
# A body over the limit is refused before it is read. The largest single upload elsewhere is a check-in
# video (25 MB) or a people import (32 MB); editors' media pages take more.
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=40 * 1024 * 1024)
REQUEST_BODY_LARGE_PATHS = {
    "/staff/library/": LIBRARY_MEDIA_MAX_BYTES + 1024 * 1024,
    "/admin/content/": LESSON_MEDIA_MAX_BYTES + 1024 * 1024,
}

# --- Retention (onward/core/retention.py): the daily job deletes each kind of data after its period ---
RETENTION_SIGN_IN_ATTEMPTS_DAYS = env.int("RETENTION_SIGN_IN_ATTEMPTS_DAYS", default=365)
RETENTION_SPENT_CODES_DAYS = env.int("RETENTION_SPENT_CODES_DAYS", default=30)
RETENTION_NOTIFICATIONS_DAYS = env.int("RETENTION_NOTIFICATIONS_DAYS", default=365)
