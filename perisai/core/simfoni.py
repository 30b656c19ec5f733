"""SIMFONI-PPA classification lists (KemenPPPA's national case register), kept verbatim so a recap can be
entered without translation. Source: SIMFONI public dashboard read-outs (see perisai/regions/data/README.md
for the reference folder this came from); the codes are ours, the labels are SIMFONI's."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ViolenceType(models.TextChoices):
    PHYSICAL = "fisik", _("Fisik")
    PSYCHOLOGICAL = "psikis", _("Psikis")
    SEXUAL = "seksual", _("Seksual")
    EXPLOITATION = "eksploitasi", _("Eksploitasi")
    TRAFFICKING = "trafficking", _("Trafficking")
    NEGLECT = "penelantaran", _("Penelantaran")
    OTHER = "lainnya", _("Lainnya")


class PlaceOfOccurrence(models.TextChoices):
    HOUSEHOLD = "rumah_tangga", _("Rumah Tangga")
    WORKPLACE = "tempat_kerja", _("Tempat Kerja")
    SCHOOL = "sekolah", _("Sekolah")
    PUBLIC_FACILITY = "fasilitas_umum", _("Fasilitas Umum")
    SHORT_COURSE = "lembaga_pendidikan_kilat", _("Lembaga Pendidikan Kilat")
    OTHER = "lainnya", _("Lainnya")


class PerpetratorRelationship(models.TextChoices):
    PARENT = "orang_tua", _("Orang Tua")
    FAMILY = "keluarga", _("Keluarga/Saudara")
    SPOUSE = "suami_istri", _("Suami/Istri")
    NEIGHBOUR = "tetangga", _("Tetangga")
    PARTNER_FRIEND = "pacar_teman", _("Pacar/Teman")
    TEACHER = "guru", _("Guru")
    EMPLOYER = "majikan", _("Majikan")
    COWORKER = "rekan_kerja", _("Rekan Kerja")
    OTHER = "lainnya", _("Lainnya")
    UNKNOWN = "na", _("NA (tidak diketahui)")


class Sex(models.TextChoices):
    FEMALE = "p", _("Perempuan")
    MALE = "l", _("Laki-laki")
    UNKNOWN = "", _("Tidak diketahui")


class ServiceType(models.TextChoices):
    """SIMFONI jenis layanan, plus the UPTD PPA services of Permen PPPA 4/2018 that SIMFONI folds into them."""

    COMPLAINT = "pengaduan", _("Pengaduan")
    HEALTH = "kesehatan", _("Kesehatan")
    LEGAL_AID = "bantuan_hukum", _("Bantuan Hukum")
    LAW_ENFORCEMENT = "penegakan_hukum", _("Penegakan Hukum")
    SOCIAL_REHABILITATION = "rehabilitasi_sosial", _("Rehabilitasi Sosial")
    SOCIAL_REINTEGRATION = "reintegrasi_sosial", _("Reintegrasi Sosial")
    REPATRIATION = "pemulangan", _("Pemulangan")
    RELIGIOUS = "pendampingan_tokoh_agama", _("Pendampingan Tokoh Agama")
    PSYCHOLOGICAL = "psikologis", _("Pendampingan psikologis")
    SHELTER = "rumah_aman", _("Rumah aman / penampungan sementara")
    MEDIATION = "mediasi", _("Mediasi")
    OUTREACH = "penjangkauan", _("Penjangkauan")


class LegalStage(models.TextChoices):
    """Proses hukum pelaku (SIMFONI list, with the stages the office tracks most)."""

    POLICE_REPORT = "laporan_polisi", _("Laporan polisi")
    EXAMINATION = "pemeriksaan", _("Pemeriksaan")
    INQUIRY = "penyelidikan", _("Penyelidikan")
    INVESTIGATION = "penyidikan", _("Penyidikan")
    ARREST = "penangkapan", _("Penangkapan")
    DETENTION = "penahanan", _("Penahanan")
    P21 = "p21", _("P21 / pelimpahan")
    DIVERSION = "diversi", _("Diversi")
    PROSECUTION = "penuntutan", _("Penuntutan")
    TRIAL = "persidangan", _("Persidangan (pengadilan tingkat I)")
    APPEAL = "banding", _("Pengadilan tingkat II (banding)")
    CASSATION = "kasasi", _("Kasasi")
    REVIEW = "peninjauan_kembali", _("Peninjauan kembali")
    VERDICT = "putusan", _("Putusan berkekuatan hukum tetap")
    STOPPED = "dihentikan", _("Dihentikan (SP3)")


class Education(models.TextChoices):
    NONE = "belum_sekolah", _("Belum/tidak sekolah")
    EARLY = "paud_tk", _("PAUD/TK")
    PRIMARY = "sd", _("SD/sederajat")
    JUNIOR = "smp", _("SMP/sederajat")
    SENIOR = "sma", _("SMA/SMK/sederajat")
    HIGHER = "perguruan_tinggi", _("Perguruan tinggi")
    DROPPED_OUT = "putus_sekolah", _("Putus sekolah")


class Occupation(models.TextChoices):
    """SIMFONI pekerjaan list."""

    STUDENT = "pelajar", _("Pelajar")
    HOMEMAKER = "ibu_rumah_tangga", _("Ibu Rumah Tangga")
    NOT_WORKING = "tidak_bekerja", _("Tidak Bekerja")
    PRIVATE = "swasta_buruh", _("Swasta/Buruh")
    WORKING = "bekerja", _("Bekerja")
    CIVIL_SERVANT = "pns_tni_polri", _("PNS/TNI/Polri")
    TRADER_FARMER = "pedagang_tani_nelayan", _("Pedagang/Tani/Nelayan")
    UNKNOWN = "na", _("NA")


# KDRT (kekerasan dalam rumah tangga) as SIMFONI-PPA counts it, after UU 23/2004 (PKDRT) Pasal 2: the household
# is the spouses and their children, relatives by blood, marriage, nursing, care or guardianship who live in it,
# and a domestic worker living in it. A parent or a spouse is household by the relationship alone; a relative
# or an employer only when it happened at home (a relative living in, the employer of a live-in domestic worker).
HOUSEHOLD_BY_RELATIONSHIP = frozenset({PerpetratorRelationship.PARENT, PerpetratorRelationship.SPOUSE})
HOUSEHOLD_AT_HOME = frozenset({PerpetratorRelationship.FAMILY, PerpetratorRelationship.EMPLOYER})


def is_domestic(relationships, place: str, *, marked: bool = False) -> bool:
    """KDRT for one victim: one of its perpetrators is of the household, or staff marked it so (they know
    who lives in the house when the lists cannot tell)."""
    relationships = set(relationships)
    if marked or relationships & HOUSEHOLD_BY_RELATIONSHIP:
        return True
    return place == PlaceOfOccurrence.HOUSEHOLD and bool(relationships & HOUSEHOLD_AT_HOME)
