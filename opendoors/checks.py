"""System checks: refuse to start a production site that would answer 500 on every page.

With DEBUG off, static URLs come from the manifest `collectstatic` writes; without it every
page that links a stylesheet fails. `opendoors check --deploy` reports it, and gunicorn's
workers refuse to start (`opendoors/wsgi.py`), since gunicorn runs no system checks itself.
"""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages

STATIC_MANIFEST_MISSING = "opendoors.E001"


# A deployment check, not one for every command: `migrate`, `collectstatic` itself and the
# task worker must run before (or without) collected static files.
@checks.register(checks.Tags.staticfiles, deploy=True)
def static_manifest_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    storage = storages["staticfiles"]
    if settings.DEBUG or not isinstance(storage, ManifestFilesMixin):
        return []
    if storage.read_manifest() is not None:
        return []
    manifest = storage.path(storage.manifest_name)
    return [
        checks.Error(
            f"The static files have not been collected: {manifest} is missing, so every page "
            "would answer 500.",
            hint="Run `opendoors collectstatic --noinput` with the same environment first "
            "(OPENDOORS_STATIC_ROOT chooses the folder).",
            id=STATIC_MANIFEST_MISSING,
        )
    ]


def refuse_to_serve_without_static_files() -> None:
    """Called when the WSGI application loads: stop with the check's message, not 500s."""
    errors = [error for error in static_manifest_check() if error.is_serious()]
    if errors:
        raise ImproperlyConfigured("\n".join(f"{e.msg} {e.hint}" for e in errors))
