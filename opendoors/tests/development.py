"""A pytest plugin (`-p opendoors.tests.development` in pyproject.toml): tests run the site in
development mode, since production is the default. It is loaded before pytest-django reads
the settings, which a conftest.py is not."""

import os

os.environ.setdefault("OPENDOORS_DEBUG", "true")
