"""What an import keeps: the column mapping of each register template, and which register case became which
Perisai case (so importing the same file again creates nothing new)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportTemplate(models.Model):
    """A register layout the office imports more than once ("Register UPTD 2024"): which column is which."""

    name = models.CharField(_("nama templat"), max_length=100, unique=True)
    mapping = models.JSONField(_("kolom"), default=dict)  # field key -> column header text
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("templat impor")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ImportedCase(models.Model):
    """A case brought in from a register, by the number it had there (not personal data: a register number)."""

    case_key = models.CharField(_("nomor di register"), max_length=100, unique=True)
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="imported_from")
    file_sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kasus yang diimpor")

    def __str__(self) -> str:
        return self.case_key
