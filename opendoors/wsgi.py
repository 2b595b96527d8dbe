"""WSGI entry point for gunicorn: `gunicorn opendoors.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opendoors.settings")
application = get_wsgi_application()

# gunicorn runs no system checks: a production start without collected static files stops
# here with the reason, instead of answering 500 on every page.
from opendoors.checks import refuse_to_serve_without_static_files  # noqa: E402

refuse_to_serve_without_static_files()
