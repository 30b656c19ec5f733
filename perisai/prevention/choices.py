"""Choices for prevention work: PATBM roles, who a prevention activity reached and what it was about."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MemberRole(models.TextChoices):
    """The usual roles of a PATBM (Perlindungan Anak Terpadu Berbasis Masyarakat) group's board."""

    CHAIR = "chair", _("Ketua")
    SECRETARY = "secretary", _("Sekretaris")
    TREASURER = "treasurer", _("Bendahara")
    FACILITATOR = "facilitator", _("Fasilitator / aktivis")
    MEMBER = "member", pgettext_lazy("PATBM role", "Anggota")


class Audience(models.TextChoices):
    STUDENTS = "students", _("Pelajar / anak-anak")
    PARENTS = "parents", pgettext_lazy("audience", "Orang tua")
    TEACHERS = "teachers", _("Guru dan tenaga sekolah")
    COMMUNITY = "community", _("Warga / masyarakat umum")
    LEADERS = "leaders", _("Tokoh masyarakat dan tokoh agama")
    OFFICIALS = "officials", _("Aparat kelurahan / RT / RW")
    WORKERS = "workers", _("Pekerja / pelaku usaha")
    MIXED = "mixed", _("Campuran")


class Topic(models.TextChoices):
    SEXUAL_VIOLENCE = "sexual_violence", _("Pencegahan kekerasan seksual terhadap anak")
    EXPLOITATION = "exploitation", _("Eksploitasi ekonomi dan pekerja anak")
    PARENTING = "parenting", _("Pengasuhan tanpa kekerasan")
    BULLYING = "bullying", _("Perundungan (bullying)")
    ONLINE = "online", _("Keamanan anak di internet")
    CHILD_MARRIAGE = "child_marriage", _("Pencegahan perkawinan anak")
    REPORTING = "reporting", _("Cara melapor (Perisai, SAPA 129)")
    RIGHTS = "rights", _("Hak anak")
    OTHER = "other", _("Lainnya")
