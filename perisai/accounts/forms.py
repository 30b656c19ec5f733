"""Forms for administrators managing accounts and agencies (used by the Django admin)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from perisai.accounts import policies
from perisai.accounts.choices import Role
from perisai.accounts.models import Agency, User
from perisai.core.forms import PhoneField


class UserAdminForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Peran"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Peran kantor hanya untuk staf DP3AP2KB / UPTD PPA; petugas mitra hanya untuk instansi mitra."),
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
        strip=False,
        help_text=_("Minimal 12 karakter. Kosongkan saat mengubah akun jika kata sandi tidak diganti."),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
        strip=False,
    )

    class Meta:
        model = User
        fields = ["email", "full_name", "agency", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["roles"] = sorted(self.instance.role_set)
        else:
            self.fields["password1"].required = True
            self.fields["password2"].required = True

    def clean(self):
        cleaned = super().clean()
        agency = cleaned.get("agency")
        misfits = [str(Role(r).label) for r in cleaned.get("roles", []) if not policies.role_fits_agency(r, agency)]
        if misfits:
            self.add_error(
                "roles", _("Tidak sesuai dengan instansi pengguna: %(roles)s.") % {"roles": ", ".join(misfits)}
            )
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 or password2:
            if password1 != password2:
                self.add_error("password2", _("Kedua kata sandi tidak sama."))
            else:
                try:
                    password_validation.validate_password(password1, self.instance)
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        return cleaned


class AgencyAdminForm(forms.ModelForm):
    phone = PhoneField(label=_("telepon instansi"), required=False, max_length=40, short_numbers=True)

    class Meta:
        model = Agency
        fields = ["name", "short_name", "kind", "region", "email", "phone", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].keep_stored(self.instance.phone)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if self.instance.pk and kind:
            probe = Agency(kind=kind)
            stranded = [
                user.full_name
                for user in self.instance.users.all()
                if any(not policies.role_fits_agency(role, probe) for role in user.role_set)
            ]
            if stranded:
                self.add_error(
                    "kind",
                    _("Ubah dulu peran pengguna berikut, karena tidak sesuai dengan jenis baru: %(users)s.")
                    % {"users": ", ".join(stranded)},
                )
        return cleaned
