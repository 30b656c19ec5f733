"""A production stack on loopback, built from the files in deploy/ as shipped: nginx (deploy/nginx/perisai.conf,
only its addresses, ports and paths rewritten) terminating TLS with a self-signed certificate, gunicorn
(deploy/gunicorn.conf.py), the worker and the scheduler, all with PERISAI_ENV=production, on a copy of the test
database. Used by test_production_stack.py."""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[2]
HOST = "perisai.example.go.id"
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = dt.datetime.now(dt.UTC)
    names = [x509.DNSName(HOST), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def site_config(
    *, https_port: int, http_port: int, app_port: int, cert: Path, key: Path, static: Path, body: Path, logs: Path
) -> str:
    """The shipped site file with loopback addresses: each rewrite must match, or the test fails, so the file
    and this test cannot drift apart."""
    text = (ROOT / "deploy/nginx/perisai.conf").read_text()
    rewrites = [
        (r"\n\s*listen \[::\]:80( default_server)?;", ""),
        (r"\n\s*listen \[::\]:443 ssl( http2| default_server);", ""),
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (r"listen 80 default_server;", f"listen 127.0.0.1:{http_port} default_server;"),
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        (r"listen 443 ssl default_server;", f"listen 127.0.0.1:{https_port} ssl default_server;"),
        (r"server 127\.0\.0\.1:8000;", f"server 127.0.0.1:{app_port};"),
        (r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};"),
        (r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};"),
        (r"alias /var/lib/perisai/static/;", f"alias {static}/;"),
        (r"client_body_temp_path /run/nginx-perisai-body;", f"client_body_temp_path {body};"),
        (r"/var/log/nginx/perisai-access\.log", f"{logs}/nginx-access.log"),
    ]
    for pattern, replacement in rewrites:
        text, count = re.subn(pattern, replacement, text)
        assert count >= 1, f"deploy/nginx/perisai.conf no longer has {pattern!r}"
    return text


def nginx_config(directory: Path, site: Path) -> str:
    temp = {name: directory / f"nginx-{name}" for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(exist_ok=True)
    return f"""
user root;
daemon off;
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {directory}/nginx-access.log;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {site};
}}
"""


@dataclass
class Stack:
    directory: Path
    database_url: str
    environment: dict[str, str]
    https_port: int
    http_port: int
    app_port: int
    cert: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    # --- processes -------------------------------------------------------------------------------------------
    def manage(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self, name: str, command: list[str]) -> None:
        log = (self.directory / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(command, cwd=ROOT, env=self.environment, stdout=log, stderr=log)

    def start_all(self) -> None:
        self.start("gunicorn", [str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "config.wsgi"])
        self.start("worker", [sys.executable, "manage.py", "worker", "--queue-name", "*", "--no-reload"])
        self.start("scheduler", [sys.executable, "manage.py", "scheduler", "--interval", "2"])
        self.start("nginx", ["nginx", "-c", str(self.directory / "nginx.conf"), "-e", str(self.directory / "e.log")])

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    def query(self, sql: str) -> list[tuple]:
        if self.database_url.startswith("sqlite"):
            import sqlite3
            from contextlib import closing

            with closing(sqlite3.connect(self.database_url.removeprefix("sqlite:///"))) as database:
                return database.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.database_url) as database:
            return database.execute(sql).fetchall()

    def log(self, name: str) -> str:
        path = self.directory / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # --- clients ---------------------------------------------------------------------------------------------
    def tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=str(self.cert))
        return context

    def https(self, *, source: str = "127.0.0.1", timeout: float = 10) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection(
            "127.0.0.1", self.https_port, context=self.tls_context(), timeout=timeout, source_address=(source, 0)
        )

    def post_form(self, path: str, fields: list[tuple[str, str]], *, source: str = "127.0.0.1", files=()):
        """A multipart form as a browser sends it: (name, value) pairs and (name, filename, bytes) files."""
        boundary = secrets.token_hex(12)
        parts = []
        for name, value in fields:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, filename, data in files:
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            parts.append(f"{head}Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": f"https://{HOST}"}
        return self.request("POST", path, source=source, headers=headers, body=body)

    def request(self, method: str, path: str, *, source: str = "127.0.0.1", headers=None, body=None):
        connection = self.https(source=source)
        try:
            connection.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def wait_until_healthy(self, timeout: float = 90) -> None:
        deadline, last = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise AssertionError(f"{name} stopped:\n{self.log(name)[-3000:]}")
            try:
                last = self.request("GET", "/healthz")
                if last[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"not healthy: {last}\n{self.log('gunicorn')[-3000:]}")


def shipped_environment() -> dict[str, str]:
    """The assignments of deploy/perisai.env.example, blanks left out (they are the secrets to make)."""
    values = {}
    for line in (ROOT / "deploy/perisai.env.example").read_text(encoding="utf-8").splitlines():
        name, equals, value = line.partition("=")
        if equals and not line.startswith("#") and value:
            values[name.strip()] = value.strip()
    return values


def production_environment(directory: Path, database_url: str, app_port: int, settings) -> dict[str, str]:
    """The shipped template, with its secrets filled in and its paths, host and database pointed at this test."""
    var = directory / "var"
    var.mkdir()
    keep = {name: value for name, value in os.environ.items() if not name.startswith(("PERISAI_", "DJANGO_"))}
    return {
        **keep,
        **shipped_environment(),
        "SECRET_KEY": secrets.token_urlsafe(64),
        # The test process's keys: what the stack encrypts, the test can read.
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "BLIND_INDEX_KEY": settings.BLIND_INDEX_KEY,
        "PERISAI_METRICS_TOKEN": secrets.token_urlsafe(32),
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": HOST,
        "PERISAI_VAR_DIR": str(var),
        "PERISAI_MEDIA_ROOT": str(var / "media"),
        "PERISAI_BACKUP_DIR": str(var / "backups"),
        "PERISAI_BIND": f"127.0.0.1:{app_port}",
        "PERISAI_WEB_WORKERS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(directory / "prometheus"),
        "PERISAI_WORKER_HEARTBEAT_SECONDS": "2",
        # The attachments folder is a 24 MB disk of its own in the full-disk drill (test_production_stack.py).
        "PERISAI_HEALTH_MIN_FREE_MB": "4",
    }


def copy_database(connection, directory: Path) -> tuple[str, callable]:
    """A copy of the migrated test database for the stack (its own, so the test's transactions stay apart).
    Returns its URL and a function that removes it."""
    db = connection.settings_dict
    test_name = db["NAME"]  # the test database (the module is marked django_db, so pytest-django made it)
    connection.close()
    if connection.vendor == "sqlite":
        copy = directory / "stack.sqlite3"
        shutil.copy(test_name, copy)
        return f"sqlite:///{copy}", lambda: None
    name = f"perisai_stack_{os.getpid()}"
    admin = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/postgres"
    subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}" TEMPLATE "{test_name}"'], check=True)

    def drop() -> None:
        subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=False)

    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}", drop


def build_stack(directory: Path, database_url: str, settings, **environment: str) -> Stack:
    """The shipped stack, configured in `directory` and not yet started: free loopback ports, a self-signed
    certificate, the production environment (plus `environment`), the site file and nginx's own file."""
    ports = {"https_port": free_port(), "http_port": free_port(), "app_port": free_port()}
    cert, key = self_signed_certificate(directory)
    env = production_environment(directory, database_url, ports["app_port"], settings)
    env.update(environment)
    site = directory / "perisai-site.conf"
    # Not created here: nginx makes its body folder at start, as it does under /run on a server.
    body = directory / "run" / "nginx-perisai-body"
    body.parent.mkdir()
    static = directory / "var" / "static"
    site.write_text(site_config(**ports, cert=cert, key=key, static=static, body=body, logs=directory))
    (directory / "nginx.conf").write_text(nginx_config(directory, site))
    return Stack(directory=directory, database_url=database_url, environment=env, cert=cert, **ports)
