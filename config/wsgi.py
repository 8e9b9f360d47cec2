import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from onward.core.body_limit import RequestBodyLimit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = RequestBodyLimit(
    get_wsgi_application(),
    max_bytes=settings.REQUEST_BODY_MAX_BYTES,
    larger=settings.REQUEST_BODY_LARGE_PATHS,
)
