"""Dendrite's own settings (production profile when DENDRITE_DEBUG is unset), with the
bench's URLconf: the real URLs plus one bare staff view to compare the pages with.

Only the bench's gunicorn uses this module (DJANGO_SETTINGS_MODULE); the production
URLconf never has the bare view.
"""

from dendrite.settings import *  # noqa: F403

ROOT_URLCONF = "bench.pages.urls"
