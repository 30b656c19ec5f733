"""The report form, shared by the public channel and staff intake, so both follow the same rules."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator, normalize_choices
from django.utils.translation import gettext_lazy as _

from perisai.core import outage
from perisai.core.forms import PhoneField
from perisai.core.simfoni import PerpetratorRelationship, PlaceOfOccurrence, Sex
from perisai.regions import selectors as regions
from perisai.reports.choices import STAFF_CHANNELS, Harm, IncidentPeriod, ReporterRelation

YES_NO = [("no", _("Tidak / tidak tahu")), ("yes", _("Ya, anak dalam bahaya sekarang"))]
ANONYMITY = [("yes", _("Ya, saya melapor tanpa nama")), ("no", _("Tidak, saya mau dihubungi petugas"))]


def _blank(label):
    return [("", label)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,audio/*,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class _Choices(BaseChoiceIterator):
    """Choices already in Django's normalised shape that never change: neither normalised again when set on a field
    and its widget, nor deep-copied with every form."""

    def __init__(self, choices: tuple):
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)

    def __deepcopy__(self, memo):
        return self

    def __copy__(self):
        return self


def fixed(choices) -> _Choices:
    """A field's choices that no form changes: normalised once at import and shared by every form, not deep-copied
    per request (with 24 fields, the copies cost a report more CPU than validating it; bench/profile_report.py)."""
    return _Choices(tuple(normalize_choices(choices)))


@lru_cache(maxsize=8)
def _region_choices(kecamatan: tuple, kelurahan: tuple) -> tuple[_Choices, _Choices]:
    """The kecamatan and kelurahan choices of a form, built once for the cached regions (regions.city_choices): per
    form they cost more than validating the rest of it."""
    return (
        _Choices((*_blank(_("— pilih kecamatan —")), *kecamatan)),
        _Choices((*_blank(_("— pilih kelurahan —")), *((name, list(villages)) for name, villages in kelurahan))),
    )


class ReportForm(forms.Form):
    missing_name_message = _("Tuliskan nama Anda, atau pilih melapor tanpa nama.")
    token = forms.UUIDField(widget=forms.HiddenInput)
    urgent = forms.TypedChoiceField(
        label=_("Apakah anak dalam bahaya sekarang?"),
        choices=fixed(YES_NO),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="no",
    )
    harms = forms.MultipleChoiceField(
        label=_("Apa yang terjadi pada anak?"),
        choices=fixed(Harm.choices),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Centang semua yang sesuai."),
    )
    narrative = forms.CharField(
        label=_("Ceritakan dengan kata-kata Anda sendiri"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Apa yang Anda lihat atau dengar, kapan, dan siapa saja yang terlibat."),
    )
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    kelurahan = forms.ChoiceField(label=_("Kelurahan"), required=False)
    location_detail = forms.CharField(
        label=_("Alamat atau patokan"),
        required=False,
        max_length=500,
        help_text=_("Misalnya: gang dekat masjid, RT/RW, atau nama sekolah."),
    )
    place = forms.ChoiceField(
        label=_("Tempat kejadian"),
        required=False,
        choices=fixed(_blank(_("— pilih jika tahu —")) + PlaceOfOccurrence.choices),
    )
    incident_period = forms.ChoiceField(
        label=_("Kapan terjadi?"), required=False, choices=fixed(_blank(_("— pilih —")) + IncidentPeriod.choices)
    )
    incident_date = forms.DateField(
        label=_("Tanggal kejadian (jika tahu)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    child_name = forms.CharField(label=_("Nama atau inisial anak"), required=False, max_length=150)
    child_age = forms.IntegerField(label=_("Perkiraan usia anak (tahun)"), required=False, min_value=0, max_value=25)
    child_sex = forms.ChoiceField(label=_("Jenis kelamin anak"), required=False, choices=fixed(Sex.choices))
    child_school = forms.CharField(label=_("Sekolah anak"), required=False, max_length=200)
    perpetrator_description = forms.CharField(
        label=_("Siapa yang diduga melakukan?"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ciri-ciri atau nama, jika Anda tahu."),
    )
    perpetrator_relationship = forms.ChoiceField(
        label=_("Hubungannya dengan anak"),
        required=False,
        choices=fixed(_blank(_("— pilih jika tahu —")) + PerpetratorRelationship.choices),
    )
    attachments = MultipleFileField(
        label=_("Lampiran: foto, rekaman suara, atau PDF"),
        required=False,
        help_text=_("Boleh dilewati."),
    )
    reporter_anonymous = forms.TypedChoiceField(
        label=_("Apakah Anda ingin melapor tanpa nama?"),
        choices=fixed(ANONYMITY),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    reporter_name = forms.CharField(label=_("Nama Anda"), required=False, max_length=150)
    reporter_phone = PhoneField(label=_("Nomor telepon / WhatsApp"), required=False, max_length=20)
    reporter_email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    reporter_relation = forms.ChoiceField(
        label=_("Hubungan Anda dengan anak"),
        required=False,
        choices=fixed(_blank(_("— pilih —")) + ReporterRelation.choices),
    )
    contact_preference = forms.CharField(
        label=_("Kapan dan bagaimana Anda boleh dihubungi?"),
        required=False,
        max_length=500,
        help_text=_("Misalnya: WhatsApp saja, setelah jam 5 sore."),
    )
    # Honeypot: hidden from people by CSS and labelled so; a bot that fills every field fills this one.
    website = forms.CharField(
        label=_("Jangan isi kolom ini"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Whether the region lists are the city's, read from the database, rather than stand-ins during an outage:
        # only such a form may be shown from the fragment cache (public_views.report_form).
        self.regions_read = True
        try:
            kecamatan, kelurahan = regions.city_choices(regions.city_code())
        except Exception as error:
            if not outage.is_outage(error):
                raise
            kecamatan, kelurahan = self._regions_as_sent()
            self.regions_read = False
        self.fields["kecamatan"].choices, self.fields["kelurahan"].choices = _region_choices(kecamatan, kelurahan)
        self.fields["attachments"].help_text = _(
            "Boleh dilewati. Paling banyak %(files)s berkas, masing-masing %(mb)s MB. Data lokasi, nama, dan isi "
            "tersembunyi di foto, rekaman suara, dan PDF dihapus otomatis; PDF yang dikunci sandi tidak diterima."
        ) % {"files": settings.PERISAI_ATTACHMENT_MAX_FILES, "mb": settings.PERISAI_ATTACHMENT_MAX_MB}

    def _regions_as_sent(self):
        """The database is down and this process has not read the regions yet, so the form is being shown again
        during an outage (core.outage): offer just the codes that were chosen, so that sending the page again
        sends them too. The kelurahan's group is labelled like its kecamatan, as lapor.js pairs them by label."""
        values = self.data if self.is_bound else self.initial
        kecamatan, kelurahan = values.get("kecamatan") or "", values.get("kelurahan") or ""
        group = kecamatan or kelurahan.rpartition(".")[0]
        return (
            ((kecamatan, kecamatan),) if kecamatan else (),
            ((group, ((kelurahan, kelurahan),)),) if kelurahan else (),
        )

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        limit = settings.PERISAI_ATTACHMENT_MAX_FILES
        if len(files) > limit:
            raise forms.ValidationError(_("Paling banyak %(n)s berkas.") % {"n": limit})
        return files

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("harms") and not cleaned.get("narrative", "").strip():
            self.add_error("harms", _("Centang apa yang terjadi, atau ceritakan di kolom cerita."))
        kecamatan_code, kelurahan_code = cleaned.get("kecamatan"), cleaned.get("kelurahan")
        # The choices are the city's regions (city_choices): resolved from the same per-process map, no query.
        kecamatan = regions.city_region(kecamatan_code) if kecamatan_code else None
        kelurahan = regions.city_region(kelurahan_code) if kelurahan_code else None
        if kelurahan is not None:
            if kecamatan is None:
                kecamatan = kelurahan.parent
            elif kelurahan.parent_id != kecamatan.pk:
                self.add_error("kelurahan", _("Kelurahan ini tidak berada di kecamatan yang dipilih."))
        if kecamatan is None and not cleaned.get("location_detail", "").strip():
            self.add_error("kecamatan", _("Pilih kecamatan, atau tuliskan alamat atau patokan."))
        cleaned["kecamatan"], cleaned["kelurahan"] = kecamatan, kelurahan
        if not cleaned.get("reporter_anonymous", True):
            if not cleaned.get("reporter_name", "").strip():
                self.add_error("reporter_name", self.missing_name_message)
            if not cleaned.get("reporter_phone") and not cleaned.get("reporter_email"):
                self.add_error("reporter_phone", _("Tuliskan nomor telepon atau e-mail agar petugas bisa menghubungi."))
        return cleaned

    def report_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in (
            "token",
            "attachments",
            "website",
            "received_at",
            "channel",
            "source_agency",
            "entered_after_fact",
        ):
            data.pop(name, None)
        return data


# How far back a staff intake may date a report without marking it "dicatat belakangan" (a letter or a phone
# call over a long weekend is typed in within days), and how far a clock may run ahead of the server's.
RECENT_INTAKE = dt.timedelta(days=7)
CLOCK_SKEW = dt.timedelta(minutes=10)


class StaffReportForm(ReportForm):
    """Staff intake: the same rules, plus where the report came from and when."""

    channel = forms.ChoiceField(label=_("Saluran pengaduan"), choices=STAFF_CHANNELS)
    received_at = forms.DateTimeField(
        label=_("Waktu laporan diterima"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Untuk laporan yang masuk sebelumnya lewat telepon, surat, atau limpahan."),
    )
    entered_after_fact = forms.BooleanField(
        label=_("Laporan lama yang dicatat belakangan"),
        required=False,
        help_text=_(
            "Centang bila laporan ini diterima kantor jauh sebelum hari ini (buku register, rekap tahun lalu). "
            "Kasusnya dihitung pada tanggal laporan diterima, dan batas waktu yang sudah lewat tidak dihitung "
            "terlambat."
        ),
    )
    field_order = ["token", "channel", "received_at", "entered_after_fact"]
    missing_name_message = _("Tuliskan nama pelapor, atau pilih bahwa pelapor tidak mau disebut namanya.")
    # An officer types what someone else said: the public form's "you" and "I" would be the officer.
    third_person = {
        "narrative": (
            _("Cerita pelapor"),
            _("Apa yang dilihat atau didengar pelapor, kapan, dan siapa saja yang terlibat."),
        ),
        "reporter_anonymous": (_("Apakah pelapor ingin tanpa nama?"), None),
        "reporter_name": (_("Nama pelapor"), None),
        "reporter_phone": (_("Nomor telepon / WhatsApp pelapor"), None),
        "reporter_email": (_("E-mail pelapor"), None),
        "reporter_relation": (_("Hubungan pelapor dengan anak"), None),
        "contact_preference": (
            _("Kapan dan bagaimana pelapor boleh dihubungi?"),
            _("Misalnya: WhatsApp saja, setelah jam 5 sore."),
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, help_text) in self.third_person.items():
            self.fields[name].label = label
            if help_text is not None:
                self.fields[name].help_text = help_text
        self.fields["reporter_anonymous"].choices = [
            ("yes", _("Ya, pelapor tidak mau disebut namanya")),
            ("no", _("Tidak, pelapor mau dihubungi petugas")),
        ]
        # Not a public form: no bot fills it, and a hidden trap field would only confuse a screen reader user.
        self.fields.pop("website", None)

    def clean_received_at(self):
        received = self.cleaned_data["received_at"]
        if received > timezone.now() + CLOCK_SKEW:
            raise forms.ValidationError(_("Waktu laporan diterima tidak boleh di masa depan."))
        return received

    def clean(self):
        cleaned = super().clean()
        received = cleaned.get("received_at")
        # A date weeks back without the box ticked is most often an old report typed in: counted on today's
        # date it would land in the wrong period with every deadline already late. Ask rather than guess.
        if received and cleaned.get("entered_after_fact") and received >= timezone.now() - RECENT_INTAKE:
            # The box turns deadlines that have passed into "not applicable" and silences the urgent alert: for a
            # report of the last days that would hide real lateness, the UU TPKS police report included.
            self.add_error(
                "entered_after_fact",
                _("Hanya untuk laporan yang diterima lebih dari %(days)d hari yang lalu.")
                % {"days": RECENT_INTAKE.days},
            )
        if received and not cleaned.get("entered_after_fact") and received < timezone.now() - RECENT_INTAKE:
            self.add_error(
                "entered_after_fact",
                _(
                    "Waktu diterima lebih dari %(days)d hari yang lalu. Bila ini laporan lama, centang kotak ini; "
                    "bila bukan, periksa kembali tanggalnya."
                )
                % {"days": RECENT_INTAKE.days},
            )
        return cleaned
