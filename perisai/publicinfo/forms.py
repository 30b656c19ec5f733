"""The administrators' form for a public information page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from perisai.publicinfo.models import InfoPage

BODY_HELP = _(
    "Tulis dengan HTML sederhana. Yang boleh dipakai: <p> paragraf, <h2> dan <h3> subjudul, <ul>/<ol> dengan <li> "
    'daftar, <strong> tebal, <em> miring, <a href="..."> tautan (https:, tel:, mailto: atau alamat di situs ini), '
    "<br> baris baru, <blockquote> kutipan. Yang lain dihapus saat disimpan. Tekan Pratinjau untuk melihat hasilnya."
)


class InfoPageForm(forms.ModelForm):
    # The version the editor started from: a save on top of an older one is refused (services.StaleEdit).
    seen_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = InfoPage
        fields = ["title", "slug", "summary", "body", "order", "is_published"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 22, "spellcheck": "true"}),
        }
        help_texts = {"body": BODY_HELP}

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # The address is printed on leaflets and linked from elsewhere: it stays once the page exists.
            del self.fields["slug"]

    def page_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in ("title", "summary", "body", "order", "is_published")}
        if "slug" in self.fields:
            data["slug"] = self.cleaned_data["slug"]
        return data
