"""What the test runner loads instead of dendrite.settings (pyproject.toml names it for
pytest-django): the same settings, with DENDRITE_TESTING set, so the suite says out loud
that it is the suite. Nothing is inferred from a package being importable; a server never
loads this module, and dendrite/tests/test_settings.py checks that production does not
relax when pytest is merely installed.

The variable stays set for the processes the tests start (manage.py, workers)."""

import os

os.environ["DENDRITE_TESTING"] = "1"

from dendrite.settings import *  # noqa: F403
