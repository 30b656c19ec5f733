"""Public information pages: plain-language text for parents, neighbours and teachers, kept by administrators."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from perisai.publicinfo.sanitise import safe_html


class InfoPage(models.Model):
    slug = models.SlugField(
        _("alamat halaman"),
        max_length=60,
        unique=True,
        help_text=_("Huruf kecil, angka dan tanda hubung, misalnya hak-anak. Tidak bisa diubah setelah disimpan."),
    )
    title = models.CharField(_("judul"), max_length=120)
    summary = models.CharField(
        _("ringkasan"), max_length=300, help_text=_("Satu atau dua kalimat untuk daftar halaman informasi.")
    )
    body = models.TextField(_("isi"))
    order = models.PositiveSmallIntegerField(_("urutan"), default=100, help_text=_("Angka kecil tampil lebih dulu."))
    is_published = models.BooleanField(
        _("tampilkan untuk umum"), default=False, help_text=_("Jika tidak dicentang, halaman hanya terlihat staf.")
    )
    updated_at = models.DateTimeField(_("terakhir diubah"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Every save is a version an administrator can read and restore (publicinfo.services.page_restore).
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("halaman informasi publik")
        verbose_name_plural = _("halaman informasi publik")

    def __str__(self) -> str:
        return self.title

    @property
    def body_html(self) -> SafeString:
        """The body, sanitised again on the way out (see sanitise.py for why twice)."""
        return safe_html(self.body)
