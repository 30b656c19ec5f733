"""Locust users for bench/load.py: people reporting on the public form and office staff browsing, through nginx.

Reporters read the form, take 5-20 s to write (a phone, a few lines), send, and sometimes check their report with
the code and PIN. Staff sign in once (password, then the authenticator code) and move between the inbox, the case
list, the dashboard and the public statistics, a few seconds per page. Every receipt's code is appended to
PERISAI_LOAD_RECEIPTS, so bench/load.py can compare what was acknowledged with what was stored."""

from __future__ import annotations

import itertools
import os
import random
import re
import time
import uuid

import urllib3
from locust import HttpUser, between, task
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

urllib3.disable_warnings()  # the bench's self-signed certificate
HOST = os.environ.get("PERISAI_LOAD_HOST", "perisai.example.go.id")
RECEIPTS = os.environ.get("PERISAI_LOAD_RECEIPTS", "receipts.txt")
STAFF = os.environ.get("PERISAI_LOAD_STAFF", "").split(",")
PASSWORD = os.environ.get("PERISAI_LOAD_PASSWORD", "")
TOTP_SECRET = os.environ.get("PERISAI_LOAD_TOTP", "")
KELURAHAN = [("36.72.05", "36.72.05.1003"), ("36.72.01", "36.72.01.1001"), ("36.72.03", "36.72.03.1002")]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RECEIPT = re.compile(r"(LPR-[0-9A-Z]{4}-[0-9A-Z]{4})")


class SourceAddressAdapter(HTTPAdapter):
    def __init__(self, source: tuple[str, int], **kwargs):
        self.source = source
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = self.source
        super().init_poolmanager(*args, **kwargs)


def totp_now(secret: str) -> str:
    import base64
    import hashlib
    import hmac
    import struct

    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


class PerisaiUser(HttpUser):
    abstract = True

    addresses = itertools.count(1)

    def on_start(self):
        # Each simulated person has an address of their own (127.0.x.y), as people on the street do: nginx's
        # limit of 20 connections per address and the form's per-address limits apply per person.
        number = next(PerisaiUser.addresses)
        # A GET on a kept-alive connection that nginx closed at that instant (keepalive_timeout 15 s, while the person
        # wrote for 5-20 s) is sent again, as browsers do; a POST is not.
        retry = Retry(total=1, connect=0, read=1, status=0, allowed_methods=frozenset({"GET"}), raise_on_status=False)
        adapter = SourceAddressAdapter((f"127.0.{number // 250 + 1}.{number % 250 + 1}", 0), max_retries=retry)
        self.client.mount("https://", adapter)
        self.client.verify = False
        self.client.headers.update({"Host": HOST, "Referer": f"https://{HOST}/", "Origin": f"https://{HOST}"})

    def csrf_of(self, response) -> str:
        match = CSRF.search(response.text)
        return match.group(1) if match else ""


class Reporter(PerisaiUser):
    weight = 10
    wait_time = between(5, 20)

    @task
    def report(self):
        form = self.client.get("/lapor/", name="GET /lapor/")
        kecamatan, kelurahan = random.choice(KELURAHAN)
        time.sleep(random.uniform(5, 20))  # writing on a phone
        data = {
            "csrfmiddlewaretoken": self.csrf_of(form),
            "token": str(uuid.uuid4()),
            "urgent": random.choice(["yes", "no", "no", "no"]),
            "harms": random.sample(["touched", "hit", "neglected", "work"], 2),
            # A detail of its own: the same answers from the same device within minutes are one report sent twice
            # (answered 200 with the first receipt), which no simulated person means to do.
            "narrative": "Anak tetangga sering menangis dan terlihat memar. " * random.randint(1, 5)
            + f"Rumah nomor {random.randint(1, 10**6)}.",
            "kecamatan": kecamatan,
            "kelurahan": kelurahan,
            "location_detail": "Dekat musala",
            "incident_period": "ongoing",
            "child_age": str(random.randint(3, 17)),
            "child_sex": random.choice(["p", "l"]),
            "reporter_anonymous": "yes",
        }
        with self.client.post("/lapor/", data=data, name="POST /lapor/", catch_response=True) as response:
            code = RECEIPT.search(response.text)
            if response.status_code != 201 or code is None:
                response.failure(f"no receipt: HTTP {response.status_code}")
                return
            with open(RECEIPTS, "a") as receipts:
                receipts.write(code.group(1) + "\n")
        if random.random() < 0.2:
            self.client.get("/lapor/cek/", name="GET /lapor/cek/")


class Staff(PerisaiUser):
    weight = 1
    wait_time = between(2, 8)

    numbers = itertools.count()  # each staff user signs in as a different account

    def on_start(self):
        super().on_start()
        email = STAFF[next(self.numbers) % len(STAFF)]
        page = self.client.get("/akun/login/", name="GET /akun/login/")
        self.client.post("/akun/login/", {"csrfmiddlewaretoken": self.csrf_of(page), "login": email,
                                          "password": PASSWORD}, name="POST /akun/login/")  # fmt: skip
        page = self.client.get("/akun/2fa/authenticate/", name="GET /akun/2fa/authenticate/")
        signed_in = self.client.post("/akun/2fa/authenticate/", {"csrfmiddlewaretoken": self.csrf_of(page),
                                     "code": totp_now(TOTP_SECRET)}, name="POST /akun/2fa/authenticate/")  # fmt: skip
        if "/akun/login/" in signed_in.url or "authenticate" in signed_in.url:
            raise RuntimeError(f"staff sign-in failed for {email}")

    @task(4)
    def inbox(self):
        self.client.get("/staf/laporan/", name="GET /staf/laporan/")

    @task(4)
    def cases(self):
        self.client.get("/staf/kasus/", name="GET /staf/kasus/")

    @task(2)
    def dashboard(self):
        self.client.get("/staf/dasbor/", name="GET /staf/dasbor/")

    @task(1)
    def home(self):
        self.client.get("/staf/", name="GET /staf/")

    @task(1)
    def public_statistics(self):
        self.client.get("/statistik/", name="GET /statistik/")
