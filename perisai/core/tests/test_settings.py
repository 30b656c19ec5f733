"""Production start-up refuses missing or weak secrets and passes Django's deployment checks."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from config import secrets as config_secrets

ROOT = Path(__file__).resolve().parents[3]


def production_env(tmp_path, **overrides) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        {
            "PERISAI_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "BLIND_INDEX_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "ALLOWED_HOSTS": "perisai.cilegon.example",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
            "PERISAI_VAR_DIR": str(tmp_path / "var"),
        }
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def manage(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


class ProductionStartupTests:
    def test_a_proper_configuration_passes_check_deploy_without_warnings(self, tmp_path):
        result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "no issues" in result.stdout

    @pytest.mark.parametrize("missing", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY"])
    def test_refuses_to_start_without_a_secret(self, tmp_path, missing):
        env = production_env(tmp_path)
        del env[missing]
        result = manage(env, "check")
        assert result.returncode != 0
        assert f"{missing} is missing" in result.stderr

    def test_refuses_a_weak_secret_key(self, tmp_path):
        result = manage(production_env(tmp_path, SECRET_KEY="django-insecure-changeme"), "check")
        assert result.returncode != 0
        assert "SECRET_KEY is weak" in result.stderr

    def test_refuses_debug_in_production(self, tmp_path):
        result = manage(production_env(tmp_path, DEBUG="true"), "check")
        assert result.returncode != 0
        assert "DEBUG must be off" in result.stderr

    def test_the_second_factor_cannot_be_switched_off_in_production(self, tmp_path):
        env = production_env(tmp_path, PERISAI_REQUIRE_SECOND_FACTOR="false", PERISAI_DEMO_TOTP_CODE="000000")
        code = "from django.conf import settings as s; print(s.PERISAI_REQUIRE_SECOND_FACTOR, "
        code += "getattr(s, 'MFA_TOTP_INSECURE_BYPASS_CODE', None))"
        result = manage(env, "shell", "-c", code)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1] == "True None"

    def test_refuses_to_seed_demo_accounts(self, tmp_path):
        # On an empty database: the refusal comes before anything is read or written.
        result = manage(production_env(tmp_path), "seed_demo")
        assert result.returncode != 0
        assert "produksi" in result.stderr


class SecretCheckTests:
    def test_a_malformed_fernet_key_is_named_by_position(self):
        errors = config_secrets.check_fernet_keys([Fernet.generate_key().decode(), "not-a-key"])
        assert len(errors) == 1
        assert "key #2" in errors[0]

    def test_a_short_blind_index_key_is_refused(self):
        assert config_secrets.check_blind_index_key(base64.urlsafe_b64encode(b"short").decode())

    def test_development_secrets_are_generated_once_and_reused(self, tmp_path):
        path = tmp_path / "secrets.env"
        first = config_secrets.development_secrets(path)
        second = config_secrets.development_secrets(path)
        assert first == second
        assert set(first) == {"SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "PERISAI_BACKUP_KEY"}
        assert path.stat().st_mode & 0o777 == 0o600
        assert not config_secrets.check_secret_key(first["SECRET_KEY"])
        assert not config_secrets.check_fernet_keys([first["FIELD_ENCRYPTION_KEYS"]])
        assert not config_secrets.check_blind_index_key(first["BLIND_INDEX_KEY"])


class ProxyCheckTests:
    def test_a_tls_proxy_without_trusted_hops_is_warned_about(self, tmp_path):
        env = production_env(tmp_path, PERISAI_BEHIND_TLS_PROXY="true")
        result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
        assert result.returncode != 0 and "perisai.W001" in result.stderr + result.stdout
        env["PERISAI_TRUSTED_PROXIES"] = "1"
        assert manage(env, "check", "--deploy", "--fail-level", "WARNING").returncode == 0


def test_holidays_are_read_with_or_without_spaces_and_a_mistyped_one_stops_the_start(tmp_path):
    shown = "from django.conf import settings; print(settings.PERISAI_HOLIDAYS)"
    env = production_env(tmp_path, PERISAI_HOLIDAYS="2026-12-25, 2026-12-26")
    assert manage(env, "shell", "-c", shown).stdout.strip().splitlines()[-1] == "['2026-12-25', '2026-12-26']"
    refused = manage(production_env(tmp_path, PERISAI_HOLIDAYS="2026-12-25,2026-13-01"), "check")
    assert refused.returncode != 0 and "PERISAI_HOLIDAYS" in refused.stderr


def test_office_days_outside_the_week_stop_the_start(tmp_path):
    """Deadlines in working days count the office's days: none, or a day 8, would leave nothing to count."""
    for days in ("8", "0,1", ",", "Senin"):
        refused = manage(production_env(tmp_path, PERISAI_OFFICE_DAYS=days), "check")
        assert refused.returncode != 0, days
        assert "ImproperlyConfigured: PERISAI_OFFICE_DAYS: ISO weekdays from 1" in refused.stderr, days
    shown = "from django.conf import settings; print(settings.PERISAI_OFFICE_DAYS)"
    env = production_env(tmp_path, PERISAI_OFFICE_DAYS="1, 2,3,4,5,6")
    assert manage(env, "shell", "-c", shown).stdout.strip().splitlines()[-1] == "[1, 2, 3, 4, 5, 6]"
