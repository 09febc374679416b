"""Rate limits hold across worker processes: without Redis the cache is a database
table, made by `migrate`, that every process reads and writes.

Each step runs `manage.py` in a fresh process, as separate gunicorn workers would.
"""

import pytest

from dendrite.tests.test_settings import manage

pytestmark = pytest.mark.slow

SCORE_TWICE = """
from django.test import Client
for _ in range(2):
    response = Client().post(
        "/api/v1/instruments/phq-2/score", {"answers": [0, 0]},
        content_type="application/json", REMOTE_ADDR="203.0.113.5",
    )
    print(response.status_code)
"""


def test_a_second_process_sees_the_first_ones_count_of_the_scoring_limit(tmp_path):
    variables = {"DENDRITE_DEBUG": "1", "DENDRITE_SCORING_RATE": "3/minute"}
    migrated = manage("migrate", "--noinput", var_dir=tmp_path, **variables)
    assert migrated.returncode == 0, migrated.stderr
    first = manage("shell", "-c", SCORE_TWICE, var_dir=tmp_path, **variables)
    second = manage("shell", "-c", SCORE_TWICE, var_dir=tmp_path, **variables)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    statuses = first.stdout.split()[-2:] + second.stdout.split()[-2:]
    assert statuses == ["200", "200", "200", "429"]


def test_production_settings_use_a_shared_cache_not_process_memory(tmp_path):
    script = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = manage(
        "shell", "-c", script, var_dir=tmp_path,
        DENDRITE_SECRET_KEY="x" * 64, DENDRITE_ALLOWED_HOSTS="clinic.example.org",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "django.core.cache.backends.db.DatabaseCache"
