"""The REST API, /api/v1/ (django-ninja): OpenAPI at /api/v1/openapi.json, the docs at /api/v1/docs (Swagger UI
served from ninja's own static files, never a CDN). Bearer tokens from /staf/token-api/; every endpoint is
throttled per caller (the public report form has its own per-address limits as well)."""

from __future__ import annotations

from django.conf import settings
from ninja import NinjaAPI
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from perisai.api import public, records, statistics
from perisai.audit.context import client_ip
from perisai.core import ratelimit


class _FromSettings:
    """The rate is read from settings on every request, so an office can change it without a restart of the
    module (and tests can raise it)."""

    setting: str

    def __init__(self, setting: str):
        self.setting = setting
        super().__init__(getattr(settings, setting))

    def allow_request(self, request) -> bool:
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class AnonRate(_FromSettings, AnonRateThrottle):
    def get_ident(self, request) -> str | None:
        # The address Perisai trusts everywhere else (audit, report and PIN limits), not ninja's reading of a
        # client-chosen X-Forwarded-For header.
        return ratelimit.address_key(client_ip(request))  # an IPv6 client counts by its /64


class TokenRate(_FromSettings, AuthRateThrottle):
    pass


DETAIL = {"type": "object", "properties": {"detail": {}}, "required": ["detail"]}
COMMON_RESPONSES = {
    "422": "Isian tidak sesuai skema (jenis, panjang, atau kolom wajib).",
    "429": "Terlalu banyak permintaan; coba lagi nanti.",
}


class PerisaiAPI(NinjaAPI):
    """Every operation documents what every operation can answer: 422 for input that does not match the schema
    (django-ninja's validation), 429 from the throttles, 401 where a token is needed, 400 for a body that is not
    JSON at all."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                # ninja keys its own responses by int; one kind of key, or "429" would be there twice.
                responses = {str(code): value for code, value in operation.get("responses", {}).items()}
                operation["responses"] = responses
                codes = dict(COMMON_RESPONSES)
                if operation.get("security"):
                    codes["401"] = "Token tidak ada, salah, kedaluwarsa, atau dicabut."
                if operation.get("requestBody"):
                    codes["400"] = "Isi permintaan tidak dapat dibaca sebagai JSON."
                for code, description in codes.items():
                    responses.setdefault(
                        code, {"description": description, "content": {"application/json": {"schema": DETAIL}}}
                    )
        return schema


api = PerisaiAPI(
    title="Perisai API",
    version="1",
    urls_namespace="api",
    description=(
        "Lapor, Tangani, Koordinasi, Data. Bearer token pribadi (Beranda staf → Token API); izin baca atau tulis; "
        "di luar kewenangan pemilik token selalu 404. Data anak dilindungi UU SPPA dan UU PDP: setiap pembukaan berkas "
        "dicatat di jejak audit."
    ),
    throttle=[
        AnonRate("PERISAI_API_ANON_RATE"),
        TokenRate("PERISAI_API_TOKEN_RATE"),
    ],
)
api.add_router("/public", public.router)
api.add_router("/", records.router)
api.add_router("/", statistics.router)
