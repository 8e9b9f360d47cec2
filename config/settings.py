"""Settings, read from the environment. The embedded profile needs no variables at all.

Scaled profile: set DATABASE_URL (PostgreSQL), CACHE_URL (Redis), STORAGE_BACKEND=s3 and the S3
variables, SECRET_KEY and DATA_KEYS, and ONWARD_PROFILE=production.
"""

import os
from pathlib import Path
from typing import Any

import environ

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

PERSON_PIN_FAILURE_LIMIT = 5
ACTIVATION_CODE_DAYS = 7
ONE_TIME_CODE_MINUTES = 10
ONE_TIME_CODE_FAILURE_LIMIT = 5
SIGN_IN_LINK_FAILURE_LIMIT = 5

SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# In-cell tablets and kiosks are shared: a person in custody is signed out sooner.
CUSTODY_SESSION_IDLE_MINUTES = env.int("CUSTODY_SESSION_IDLE_MINUTES", default=10)
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

# --- Retention (onward/core/retention.py): the daily job deletes each kind of data after its period ---
RETENTION_SIGN_IN_ATTEMPTS_DAYS = env.int("RETENTION_SIGN_IN_ATTEMPTS_DAYS", default=365)
RETENTION_SPENT_CODES_DAYS = env.int("RETENTION_SPENT_CODES_DAYS", default=30)
RETENTION_NOTIFICATIONS_DAYS = env.int("RETENTION_NOTIFICATIONS_DAYS", default=365)
