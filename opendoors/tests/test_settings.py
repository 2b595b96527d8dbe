"""Settings come from the environment; production settings pass Django's deployment check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_opendoors(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "opendoors.cli", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_check():
    result = run_opendoors(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        OPENDOORS_DEBUG="false",
        OPENDOORS_SECRET_KEY="x" * 60 + "production-secret-that-is-long-and-random-enough",
        OPENDOORS_ALLOWED_HOSTS="opendoors.example.org",
    )
    assert result.returncode == 0, result.stderr


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
