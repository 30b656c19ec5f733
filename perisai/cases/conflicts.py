"""Saving over someone else's save without losing either (issue: a 409 must never let the second save silently undo
the first).

A case form carries, besides the case's version, a signed fingerprint of every field as it was when the page was
loaded (`base`). When the save is refused because the case changed meanwhile, each field is merged three ways:
- you did not touch it: the other person's value is kept;
- they did not touch it: what you typed is kept;
- you both changed it: their saved value is shown, the field is marked, and what you typed is quoted next to it.
Saving the merged form again then keeps the other person's change unless you overwrite that field yourself.
Fingerprints are hashes, so no child's data travels in the hidden field beyond what the form already shows."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core import signing
from django.forms import Form
from django.http import QueryDict
from django.utils.translation import gettext as _

SALT = "perisai.cases.conflicts"
SKIP = {"version"}


def _canon(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (list, tuple)):
        return "|".join(sorted(_canon(item) for item in value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip().replace("\r\n", "\n")


def _print(value) -> str:
    return hashlib.sha256(_canon(value).encode()).hexdigest()[:16]


def _names(form: Form) -> list[str]:
    return [name for name in form.fields if name not in SKIP]


def shown(form: Form) -> dict[str, object]:
    """Each field's value as the form shows it (initial values of an unbound form, the data of a bound one)."""
    return {name: (form[name].data if form.is_bound else form[name].value()) for name in _names(form)}


def base_token(form: Form) -> str:
    """The signed fingerprints of an unbound form's fields, for the hidden `base` input."""
    return signing.dumps({name: _print(value) for name, value in shown(form).items()}, salt=SALT, compress=True)


def _base(token: str) -> dict[str, str] | None:
    try:
        return signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None


def merge(posted: Form, saved: Form, token: str) -> tuple[QueryDict, dict[str, str]]:
    """The data for a form that keeps both people's changes, and {field: what you typed} where you both changed
    it. Without a readable base (an old page), every field that differs counts as changed by both."""
    base = _base(token) or {}
    typed, current = shown(posted), shown(saved)
    data = QueryDict(mutable=True)
    conflicts = {}
    for name in _names(posted):
        mine, theirs, was = typed.get(name), current.get(name), base.get(name)
        if _print(mine) == _print(theirs):
            value = theirs
        elif was is not None and _print(mine) == was:
            value = theirs  # only they changed it
        elif was is not None and _print(theirs) == was:
            value = mine  # only you changed it
        else:
            value, conflicts[name] = theirs, _display(posted, name, mine)
        _put(data, name, value)
    return data, conflicts


def _put(data: QueryDict, name: str, value) -> None:
    if value is None or value is False:
        return
    if value is True:
        data[name] = "on"
    elif isinstance(value, (list, tuple)):
        data.setlist(name, [str(item) for item in value])
    elif isinstance(value, (dt.date, dt.datetime)):
        data[name] = value.isoformat()
    else:
        data[name] = str(value)


def _display(form: Form, name: str, value) -> str:
    """What was typed, as words: a choice's label rather than its code."""
    choices = dict(getattr(form.fields[name], "choices", []) or [])
    flat = {}
    for key, label in choices.items():
        if isinstance(label, (list, tuple)):
            flat.update({str(k): v for k, v in label})
        else:
            flat[str(key)] = label
    if isinstance(value, (list, tuple)):
        return ", ".join(str(flat.get(str(item), item)) for item in value) or "-"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    return str(flat.get(_canon(value), _canon(value))) or "-"


def mark(form: Form, conflicts: dict[str, str]) -> None:
    """Put each conflict next to its field (the merged form must already be validated)."""
    for name, typed in conflicts.items():
        form.add_error(
            name,
            _("Orang lain menyimpan nilai lain untuk kolom ini (ditampilkan). Isian Anda: «%(typed)s».")
            % {"typed": typed},
        )
