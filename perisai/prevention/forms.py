"""Forms for PATBM groups, members, the reports groups bring, and prevention activities. Every message is plain
Indonesian, next to its field."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.accounts.models import Agency
from perisai.core.forms import AttachmentForm, PhoneField
from perisai.prevention.choices import Audience, MemberRole, Topic
from perisai.prevention.models import PatbmGroup
from perisai.regions import selectors as regions
from perisai.reports.forms import StaffReportForm

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A school hall or a kelurahan meeting holds hundreds, a city-wide campaign a few thousand: above this it is a typo.
MAX_PARTICIPANTS = 20_000


class KelurahanField(forms.ChoiceField):
    """A kelurahan of this city, chosen from a list grouped by kecamatan; cleaned to its Region."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Kelurahan"))
        message = _("Pilih kelurahan dari daftar.")
        kwargs.setdefault("error_messages", {"required": message, "invalid_choice": message})
        super().__init__(**kwargs)

    def prepare(self) -> None:
        self.choices = [("", "—"), *regions.city_choices(regions.city_code())[1]]

    def clean(self, value):
        code = super().clean(value)
        region = regions.city_region(code)
        if region is None or region.level not in regions.VILLAGE_LEVELS:
            raise forms.ValidationError(_("Pilih kelurahan dari daftar."))
        return region


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Nama kelompok"), max_length=150, help_text=_("Misalnya: PATBM Kelurahan Masigit."))
    kelurahan = KelurahanField()
    formed_on = forms.DateField(label=_("Tanggal dibentuk"), required=False, widget=DATE_INPUT)
    decree = forms.CharField(label=_("Nomor SK pembentukan"), max_length=100, required=False)
    is_active = forms.BooleanField(label=_("Kelompok masih aktif"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].prepare()

    def clean_formed_on(self):
        formed = self.cleaned_data["formed_on"]
        if formed and formed > timezone.localdate():
            raise forms.ValidationError(_("Tanggal dibentuk tidak boleh di masa depan."))
        return formed


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=150)
    phone = PhoneField(label=_("Nomor telepon / WhatsApp"), required=False, max_length=20)
    role = forms.ChoiceField(label=_("Peran"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    is_active = forms.BooleanField(
        label=_("Masih aktif"),
        required=False,
        initial=True,
        help_text=_("Bila tidak aktif lagi, nomor teleponnya dihapus; namanya tetap di riwayat kelompok."),
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        return str(phone) if phone else ""


class PatbmReportForm(StaffReportForm):
    """Staff intake for a report a PATBM group brought: the same questions and rules, the channel fixed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("channel")


class ActivityForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    held_on = forms.DateField(label=_("Tanggal kegiatan"), widget=DATE_INPUT)
    title = forms.CharField(
        label=_("Judul kegiatan"), max_length=200, required=False, help_text=_("Misalnya: Sosialisasi Stop Kekerasan.")
    )
    topic = forms.ChoiceField(label=_("Topik"), choices=[("", "—"), *Topic.choices])
    audience = forms.ChoiceField(label=_("Sasaran"), choices=[("", "—"), *Audience.choices])
    kelurahan = KelurahanField()
    place = forms.CharField(label=_("Tempat"), max_length=200, help_text=_("Misalnya: SDN Cibeber 1, aula kelurahan."))
    participants = forms.IntegerField(
        label=_("Jumlah peserta"),
        min_value=1,
        max_value=MAX_PARTICIPANTS,
        error_messages={
            "min_value": _("Isi jumlah peserta yang hadir (paling sedikit 1)."),
            "max_value": _("Jumlah peserta terlalu besar; periksa lagi angkanya."),
            "invalid": _("Isi jumlah peserta dengan angka."),
        },
    )
    organiser = forms.ModelChoiceField(
        label=_("Penyelenggara"), queryset=Agency.objects.none(), empty_label=_("— pilih —")
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Instansi lain yang terlibat"),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    patbm_group = forms.ModelChoiceField(
        label=_("Kelompok PATBM yang terlibat"),
        queryset=PatbmGroup.objects.none(),
        required=False,
        empty_label=_("— tidak ada —"),
    )
    materials = forms.CharField(
        label=_("Materi yang dipakai"),
        max_length=2_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Misalnya: leaflet Perisai, video Kemen PPPA, modul PATBM."),
    )

    def __init__(self, *args, groups, agencies, may_choose_organiser: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].prepare()
        self.fields["agencies"].queryset = agencies
        self.fields["patbm_group"].queryset = groups
        if may_choose_organiser:
            self.fields["organiser"].queryset = agencies
        else:
            # A partner records its own activities: the organiser is its agency, not a choice.
            self.fields.pop("organiser")

    def clean_held_on(self):
        held = self.cleaned_data["held_on"]
        if held > timezone.localdate():
            raise forms.ValidationError(
                _("Catat kegiatan yang sudah berlangsung; tanggalnya tidak boleh di masa depan.")
            )
        return held


PERSONAL = [
    ("ya", _("Ya: daftar hadir, foto kegiatan, atau berkas lain yang menyebut nama atau memperlihatkan orang")),
    ("tidak", _("Tidak: materi, slide, atau selebaran tanpa nama dan tanpa foto orang")),
]


class MaterialForm(AttachmentForm):
    """The same checks as every attachment. A photo of the children who took part is their personal data, which
    needs a parent's consent (UU PDP 27/2022 Pasal 25); a record of the activity does not need their faces.

    The uploader says whether the file names or shows anyone: such files are deleted once their retention ends
    (prevention.services.materials_expire), teaching material is kept. A photo or a recording always counts as
    naming or showing someone; only a PDF may be kept."""

    personal = forms.TypedChoiceField(
        label=_("Apakah berkas ini menyebut nama atau memperlihatkan orang?"),
        choices=PERSONAL,
        coerce=lambda value: value == "ya",
        widget=forms.RadioSelect,
        initial="ya",
        error_messages={"required": _("Pilih apakah berkas ini menyebut nama atau memperlihatkan orang.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Tambah berkas materi")
        self.fields["file"].help_text = _(
            "PDF materi, selebaran, atau foto kegiatan. Jangan unggah foto yang memperlihatkan wajah anak, atau "
            "daftar hadir dengan nama anak. %(rules)s"
        ) % {"rules": self.fields["file"].help_text}

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if cleaned.get("personal") is False and upload and not str(upload.name).lower().endswith(".pdf"):
            self.add_error(
                "personal",
                _('Foto dan rekaman suara selalu dianggap memperlihatkan atau menyebut orang: pilih "Ya".'),
            )
        return cleaned
