"""Production settings refuse to start half-configured, and pass Django's deploy check.

Each test runs `manage.py` (or Python) in a fresh process with dendrite.settings and
without DENDRITE_TESTING, so settings.py sees production mode, as a real server would,
even when that process imports pytest. Defaults live only in settings.py, and every
variable it reads is listed in .env.example.
"""

import ast
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = pytest.mark.slow
# A production text provider (dendrite/outbox/twilio.py); the check asks for nothing more.
TWILIO = {
    "DENDRITE_SMS_BACKEND": "dendrite.outbox.twilio.TwilioBackend",
    "DENDRITE_TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "DENDRITE_TWILIO_API_SECRET": "not-a-real-secret",
    "DENDRITE_TWILIO_SENDER": "+16175550100",
}


def manage(*args: str, var_dir: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """Run manage.py with none of this shell's Dendrite settings, only `variables`."""
    # conftest.py sets DJANGO_ALLOW_ASYNC_UNSAFE for the test process only; a real
    # server never has it, and the deploy check (rightly) refuses it.
    leave_out = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DENDRITE_") and name not in leave_out
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "dendrite.settings",
        "DENDRITE_VAR_DIR": str(var_dir),
        **variables,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_without_a_secret_key_the_server_refuses_to_start(tmp_path):
    result = manage("check", var_dir=tmp_path)
    assert result.returncode != 0
    assert "DENDRITE_SECRET_KEY" in result.stderr


def test_a_placeholder_secret_key_is_refused(tmp_path):
    result = manage(
        "check", var_dir=tmp_path, DENDRITE_SECRET_KEY="change-me", DENDRITE_ALLOWED_HOSTS="x.org"
    )
    assert result.returncode != 0
    assert "DENDRITE_SECRET_KEY" in result.stderr


def test_a_real_secret_without_allowed_hosts_is_refused(tmp_path):
    result = manage("check", var_dir=tmp_path, DENDRITE_SECRET_KEY=secrets.token_hex(30))
    assert result.returncode != 0
    assert "DENDRITE_ALLOWED_HOSTS" in result.stderr
    assert "DENDRITE_SECRET_KEY" not in result.stderr


def test_production_settings_pass_the_deploy_check_without_a_single_warning(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        var_dir=tmp_path,
        DENDRITE_SECRET_KEY=secrets.token_hex(32),
        DENDRITE_ALLOWED_HOSTS="clinic.example.org",
        DENDRITE_AUDIT_KEY=secrets.token_hex(32),
        **TWILIO,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues (0 silenced)" in result.stdout
    # The SQLite database went to the temporary var/, not the checkout's.
    assert (tmp_path / "dendrite.sqlite3").exists()


def test_production_whose_texts_reach_no_phone_fails_the_deploy_check(tmp_path):
    # No DENDRITE_SMS_BACKEND: texts would go to files in var/sms.
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", var_dir=tmp_path,
        DENDRITE_SECRET_KEY=secrets.token_hex(32), DENDRITE_ALLOWED_HOSTS="clinic.example.org",
        DENDRITE_AUDIT_KEY=secrets.token_hex(32),
    )  # fmt: skip
    assert result.returncode != 0
    assert "outbox.W001" in result.stderr


def test_production_without_its_own_audit_key_fails_the_deploy_check(tmp_path):
    # The audit chain's key would be derived from the secret key, kept beside the database.
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", var_dir=tmp_path,
        DENDRITE_SECRET_KEY=secrets.token_hex(32), DENDRITE_ALLOWED_HOSTS="clinic.example.org",
    )  # fmt: skip
    assert result.returncode != 0
    assert "audit.W001" in result.stderr
    assert "DENDRITE_AUDIT_KEY" in result.stderr


def test_production_cookies_are_secure_and_same_site(tmp_path):
    script = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE, "
        "s.LANGUAGE_COOKIE_HTTPONLY)"
    )
    result = manage(
        "shell", "-c", script, var_dir=tmp_path,
        DENDRITE_SECRET_KEY=secrets.token_hex(32), DENDRITE_ALLOWED_HOSTS="clinic.example.org",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-5:] == ["True", "True", "True", "Lax", "True"]


def test_production_hashes_passwords_with_argon2():
    import dendrite.settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_a_sqlite_database_named_by_url_keeps_its_write_locking(tmp_path):
    # Without IMMEDIATE transactions, concurrent writers to SQLite fail half-way.
    script = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['transaction_mode'])"
    )
    result = manage(
        "shell", "-c", script, var_dir=tmp_path, DENDRITE_DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'other.sqlite3'}",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "IMMEDIATE"


def test_a_kept_database_connection_is_checked_before_a_request_reuses_it(tmp_path):
    # After a PostgreSQL restart each web process kept a dead connection, and its next
    # request failed on it (bench/load, scenario pg-outage: one 500 per gunicorn worker).
    script = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    result = manage(
        "shell", "-c", script, var_dir=tmp_path, DENDRITE_DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/never_opened",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["60", "True"]


def test_the_wsgi_application_loads_every_view_before_gunicorn_forks(tmp_path):
    # gunicorn's master loads dendrite.wsgi once (preload_app). Left to each worker's
    # first request, loading the views took longer than gunicorn's timeout for five fresh
    # workers at once on a busy machine: killed mid-request after a restart, and replaced
    # by equally cold ones (bench/load). The views are loaded, the database is not
    # touched (a connection opened before the fork would be shared by every worker):
    # this database does not exist, so asking it anything would fail.
    code = (
        "import sys\nimport dendrite.wsgi\nfrom django.db import connection\n"
        "print('dendrite.urls' in sys.modules, 'dendrite.infusions.views.aftercare' in "
        "sys.modules, 'weasyprint' in sys.modules, connection.connection is None)\n"
    )
    result = run_python(
        code, var_dir=tmp_path, DENDRITE_SECRET_KEY=secrets.token_hex(32),
        DENDRITE_ALLOWED_HOSTS="clinic.example.org",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/never_opened",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-4:] == ["True", "True", "True", "True"]


def run_python(code: str, *, var_dir: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """`python -c code` with production's environment (as `manage` above)."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DENDRITE_")
        and name not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "dendrite.settings",
        "DENDRITE_VAR_DIR": str(var_dir),
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True,
        text=True, timeout=120, check=False,
    )  # fmt: skip


PYTEST_THEN_DJANGO = (
    "import sys, pytest, pytest_django, django\nassert 'pytest' in sys.modules\ndjango.setup()\n"
)


def test_with_pytest_imported_a_missing_secret_is_still_refused(tmp_path):
    result = run_python(PYTEST_THEN_DJANGO, var_dir=tmp_path, DENDRITE_ALLOWED_HOSTS="x.org")
    assert result.returncode != 0
    assert "DENDRITE_SECRET_KEY" in result.stderr


def test_with_pytest_imported_production_keeps_every_deploy_check(tmp_path):
    code = PYTEST_THEN_DJANGO + (
        "from django.conf import settings as s\n"
        "from django.core.management import call_command\n"
        "print(s.TESTING, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)\n"
        "call_command('check', '--deploy', '--fail-level', 'WARNING')\n"
    )
    result = run_python(
        code, var_dir=tmp_path, DENDRITE_SECRET_KEY=secrets.token_hex(32),
        DENDRITE_ALLOWED_HOSTS="clinic.example.org", DENDRITE_AUDIT_KEY=secrets.token_hex(32),
        **TWILIO,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "False True True True"
    assert "no issues (0 silenced)" in result.stdout


def test_the_test_suite_says_it_is_the_test_suite():
    from django.conf import settings

    assert os.environ["DJANGO_SETTINGS_MODULE"] == "dendrite.settings_testing"
    assert settings.TESTING is True
    assert os.environ["DENDRITE_TESTING"] == "1"


def settings_read_from_the_environment() -> set[str]:
    """Every variable settings.py reads: env(), env_bool(), env_list(), os.environ.get()."""
    tree = ast.parse((ROOT / "dendrite" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        function = ast.unparse(node.func)
        first = node.args[0]
        if function in {"env", "env_bool", "env_list", "os.environ.get"} and isinstance(
            first, ast.Constant
        ):
            names.add(first.value)
    return names


def test_every_setting_is_listed_in_env_example():
    read = settings_read_from_the_environment()
    listed = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert {"DENDRITE_SECRET_KEY", "DATABASE_URL", "DENDRITE_VAR_DIR"} <= read
    assert sorted(read - listed) == []


def test_defaults_live_only_in_settings_py():
    """No getattr(settings, NAME, default) anywhere: a second default drifts from the first."""
    found = []
    for path in (ROOT / "dendrite").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and ast.unparse(node.func) == "getattr"
                and len(node.args) == 3
                and ast.unparse(node.args[0]) == "settings"
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
