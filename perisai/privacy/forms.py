from django import forms
from django.utils.translation import gettext_lazy as _

from perisai.core.validators import validate_nik
from perisai.privacy.choices import SubjectRequestStatus
from perisai.privacy.models import Breach, SubjectRequest

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SubjectRequestForm(forms.ModelForm):
    subject_nik = forms.CharField(
        label=_("NIK subjek data"),
        required=False,
        max_length=16,
        validators=[validate_nik],
        help_text=_("Boleh kosong. 16 angka."),
    )

    class Meta:
        model = SubjectRequest
        fields = [
            "kind",
            "received_at",
            "requester_name",
            "requester_contact",
            "requester_relation",
            "subject_name",
            "subject_nik",
            "subject_address",
            "details",
        ]
        widgets = {
            "received_at": DATETIME_WIDGET,
            "details": forms.Textarea(attrs={"rows": 5}),
            "subject_address": forms.Textarea(attrs={"rows": 2}),
        }


class SubjectRequestTransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Ubah status menjadi"), choices=SubjectRequestStatus.choices)
    outcome = forms.CharField(
        label=_("Hasil atau alasan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib saat permintaan diselesaikan atau ditolak."),
    )

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(v, label) for v, label in SubjectRequestStatus.choices if v in allowed]

    def clean(self):
        cleaned = super().clean()
        closing = cleaned.get("to") in {SubjectRequestStatus.COMPLETED, SubjectRequestStatus.REFUSED}
        if closing and not cleaned.get("outcome", "").strip():
            self.add_error("outcome", _("Tuliskan hasil atau alasan penolakan."))
        return cleaned


class BreachForm(forms.ModelForm):
    class Meta:
        model = Breach
        fields = ["discovered_at", "summary", "description", "data_affected", "subjects_affected", "measures"]
        widgets = {
            "discovered_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
            "data_affected": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }


class BreachNotificationForm(forms.Form):
    authority_notified_at = forms.DateTimeField(
        label=_("Lembaga PDP diberi tahu pada"), required=False, widget=DATETIME_WIDGET
    )
    subjects_notified_at = forms.DateTimeField(
        label=_("Subjek data diberi tahu pada"), required=False, widget=DATETIME_WIDGET
    )
    measures = forms.CharField(
        label=_("Upaya penanganan dan pemulihan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("authority_notified_at") and not cleaned.get("subjects_notified_at"):
            raise forms.ValidationError(_("Isi setidaknya satu tanggal pemberitahuan."))
        return cleaned
