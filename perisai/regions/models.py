"""The Kemendagri region hierarchy (provinsi > kota/kabupaten > kecamatan > kelurahan/desa)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from perisai.regions.choices import RegionLevel


class Region(models.Model):
    """One administrative area, keyed by its Kemendagri code (e.g. 36.72.05.1003 = Masigit).

    Names repeat across levels (Cilegon, Citangkil, Cibeber...) and spellings differ ("Gerogol" in
    Kemendagri, "Grogol" in daily use), so everything refers to regions by code, never by name.
    """

    code = models.CharField(_("kode Kemendagri"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    level = models.CharField(_("tingkat"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("induk"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    aliases = models.JSONField(_("nama lain"), default=list, blank=True)

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"], name="regions_level_code_idx")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.name}"
