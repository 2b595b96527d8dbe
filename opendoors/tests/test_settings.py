"""Settings come from the environment; production is the default and passes Django's
deployment check, and a production start without collected static files stops with the reason."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


PRODUCTION = {
    "OPENDOORS_SECRET_KEY": "x" * 60 + "production-secret-that-is-long-and-random-enough",
    "OPENDOORS_ALLOWED_HOSTS": "opendoors.example.org",
}


def run_opendoors(*args: str, **env: str) -> subprocess.CompletedProcess:
    return run_python("-m", "opendoors.cli", *args, **env)


def run_python(*args: str, **env: str) -> subprocess.CompletedProcess:
    """A new process with this environment (the tests' development mode included) and `env`;
    an empty value removes a variable."""
    environ = {key: value for key, value in {**os.environ, **env}.items() if value != ""}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_check(tmp_path):
    static = {"OPENDOORS_STATIC_ROOT": str(tmp_path / "static"), "OPENDOORS_DEBUG": "false"}
    collected = run_opendoors("collectstatic", "--noinput", "-v0", **PRODUCTION, **static)
    assert collected.returncode == 0, collected.stderr
    result = run_opendoors("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, **static)
    assert result.returncode == 0, result.stderr


def test_a_deployment_that_forgets_opendoors_debug_runs_in_production_mode():
    result = run_opendoors(
        "shell",
        "-c",
        "from django.conf import settings; from django.test import Client; "
        "page = Client().get('/no-such-page/', secure=True, HTTP_HOST='opendoors.example.org'); "
        "print(settings.DEBUG, page.status_code, b'URLconf' in page.content)",
        OPENDOORS_DEBUG="",
        **PRODUCTION,
    )
    assert result.stdout.splitlines()[-1].split() == ["False", "404", "False"], result.stderr


def test_production_without_collected_static_files_stops_at_start_up_saying_why(tmp_path):
    static = {"OPENDOORS_STATIC_ROOT": str(tmp_path / "empty"), "OPENDOORS_DEBUG": "false"}
    check = run_opendoors("check", "--deploy", **PRODUCTION, **static)
    assert check.returncode != 0
    assert "opendoors.E001" in check.stderr and "opendoors collectstatic" in check.stderr
    # gunicorn loads opendoors.wsgi: its workers refuse to boot instead of answering 500.
    start = run_python("-c", "import opendoors.wsgi", **PRODUCTION, **static)
    assert start.returncode != 0
    assert "static files have not been collected" in start.stderr
    assert "opendoors collectstatic --noinput" in start.stderr
    # Only serving needs them: migrate, collectstatic and the task worker run the other checks.
    assert run_opendoors("check", **PRODUCTION, **static).returncode == 0


def test_the_tests_and_make_demo_turn_development_mode_on_explicitly():
    assert os.environ["OPENDOORS_DEBUG"] == "true"
    makefile = (ROOT / "Makefile").read_text()
    assert "demo: export OPENDOORS_DEBUG = true" in makefile


def test_production_refuses_to_start_without_a_secret_key():
    result = run_opendoors("check", OPENDOORS_DEBUG="false", OPENDOORS_SECRET_KEY="")
    assert result.returncode != 0
    assert "Set OPENDOORS_SECRET_KEY" in result.stderr


def test_single_sign_on_is_configured_from_the_environment():
    result = run_opendoors(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS'][0]['settings'])",
        OPENDOORS_SSO="google",
        OPENDOORS_SSO_GOOGLE_SERVER_URL="https://accounts.google.com",
        OPENDOORS_SSO_GOOGLE_CLIENT_ID="id",
        OPENDOORS_SSO_GOOGLE_SECRET="secret",
    )
    assert "https://accounts.google.com" in result.stdout, result.stderr


def test_half_configured_single_sign_on_names_what_is_missing():
    result = run_opendoors("check", OPENDOORS_SSO="microsoft")
    assert "OPENDOORS_SSO_MICROSOFT_SERVER_URL" in result.stderr


@pytest.mark.parametrize("url", ["sqlite:///tmp/x.sqlite3", "postgres://u@db.example:5432/od"])
def test_database_url_chooses_the_database(url):
    result = run_opendoors(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default'])",
        DATABASE_URL=url,
    )
    assert ("sqlite3" if url.startswith("sqlite") else "postgresql") in result.stdout, result.stderr


def test_the_console_command_runs_hyphenated_commands():
    result = run_opendoors("import-schedule", "--help")
    assert result.returncode == 0
    assert "--school" in result.stdout
