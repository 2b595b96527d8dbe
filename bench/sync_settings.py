"""Settings for the sync benchmark: the site's own settings, plus a bare view to compare with.

Every deployment difference still comes from the environment (see opendoors/settings.py);
only the URLconf changes, to add `bench/bare/` (bench/sync_urls.py).
"""

from opendoors.settings import *  # noqa: F403

ROOT_URLCONF = "bench.sync_urls"
