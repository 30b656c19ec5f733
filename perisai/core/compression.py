"""Compressed pages for slow phones (issue 17: /lapor/ was 17 KB of HTML on every visit, 4.3 KB compressed).

Django's GZipMiddleware, limited to text: photos, PDFs and workbooks are compressed already (compressing a 10 MB
photo again would cost the server CPU for nothing), and attachment downloads must reach the browser byte for byte.
Django pads each compressed body with random bytes against BREACH, and masks the CSRF token in every response.
"""

from __future__ import annotations

from django.middleware.gzip import GZipMiddleware

# Pages, styles and scripts. Not the API's JSON: its clients are scripts on the office's network, and some
# (schemathesis among them) read a body without undoing a compression they did not ask to handle.
TEXTUAL = ("text/", "application/javascript", "image/svg+xml")


class TextCompressionMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(TEXTUAL):
            return response
        return super().process_response(request, response)
