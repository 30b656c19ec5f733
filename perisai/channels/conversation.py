"""The questions of a report told by WhatsApp or SMS, in the order of the public form, and how an answer is
read. One question per message, answered with a number (or a name for places): it must work on the cheapest
phone by SMS. Pure functions: services.py keeps the draft and decides what to do with the result."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from perisai.regions import selectors as regions
from perisai.reports.choices import Harm

URGENT, HARMS, KECAMATAN, KELURAHAN, AGE, CONTACT = "urgent", "harms", "kecamatan", "kelurahan", "age", "contact"
DONE = "done"
# Not a question: an urgent draft left half-way was forwarded as a report (services.conversations_forward_urgent);
# what the reporter writes next goes to that report until the draft expires.
FORWARDED = "forwarded"
NOT_KNOWN = {"x", "-", "?", "tidak tahu", "tdk tahu", "tidak tau", "gak tahu", "nggak tahu", "0"}
YES, NO = {"1", "ya", "iya", "y"}, {"2", "tidak", "tdk", "bukan", "n"}
# The last question asks "may an officer contact you?", and its option 1 is "no": the words go with their meaning,
# not with the number. A reporter who typed "tidak" must never have their number shown to staff.
STAY_ANONYMOUS = {"1", "tidak", "tdk", "bukan", "n", "jangan", "tanpa nama"}
MAY_CONTACT = {"2", "ya", "iya", "y", "boleh"}
NUMBERS = re.compile(r"\d+")
LIST_OF_NUMBERS = re.compile(r"[\d\s,.;/&+]+")  # "1 3", "1,3", "1 dan 3" (once "dan" is taken out)


@dataclass
class Step:
    """Where the conversation goes after an answer, and what to say."""

    step: str
    answers: dict
    replies: list[str] = field(default_factory=list)


def emergency() -> str:
    # The numbers of the public form (reports/public/form.html): police, general emergency, SAPA 129 (KemenPPPA).
    return _(
        "Jika anak dalam bahaya sekarang, segera hubungi Polisi 110, darurat 112, atau SAPA 129 (WhatsApp "
        "08111-129-129). Laporan Anda tetap kami catat."
    )


def welcome() -> str:
    return _(
        "Perisai — layanan pengaduan kekerasan terhadap anak, UPTD PPA Kota Cilegon. Identitas Anda dirahasiakan. "
        "Kirim BATAL kapan saja untuk berhenti, atau STATUS <kode> <PIN> untuk melihat laporan lama."
    )


def question(step: str, answers: dict) -> str:
    if step == URGENT:
        return _("Apakah ada anak dalam bahaya sekarang?\n1. Ya\n2. Tidak")
    if step == HARMS:
        lines = [f"{number}. {label}" for number, (_code, label) in enumerate(Harm.choices, start=1)]
        return _("Apa yang terjadi pada anak? Balas satu nomor atau lebih, misalnya: 1 3") + "\n" + "\n".join(lines)
    if step == KECAMATAN:
        lines = [f"{number}. {k.name}" for number, k in enumerate(regions.kecamatan_of_city(), start=1)]
        return _("Di kecamatan mana? Balas nomor atau namanya.") + "\n" + "\n".join(lines)
    if step == KELURAHAN:
        villages = regions.kelurahan_of(answers["kecamatan"])
        lines = [f"{number}. {v.name}" for number, v in enumerate(villages, start=1)]
        return _("Di kelurahan mana? Balas nomor atau namanya, atau 0 jika tidak tahu.") + "\n" + "\n".join(lines)
    if step == AGE:
        return _("Berapa kira-kira usia anak? Balas angka tahun (misalnya 9), atau X jika tidak tahu.")
    # Said plainly, because "anonymous" here still keeps the number (encrypted, out of staff's sight) to deliver the
    # office's answers: the reporter must know what is kept about them and why (UU PDP 27/2022 Pasal 21).
    return _(
        "Terakhir: bolehkah petugas menghubungi Anda di nomor ini?\n1. Tidak, saya melapor tanpa nama\n"
        "2. Ya, boleh dihubungi di nomor ini\nJika memilih 1, petugas tidak melihat nomor Anda; nomor hanya kami "
        "simpan terenkripsi untuk mengirim balasan petugas ke sini."
    )


def not_understood(step: str, answers: dict) -> Step:
    return Step(step, answers, [_("Maaf, jawaban itu tidak kami kenali.") + "\n" + question(step, answers)])


def start() -> Step:
    return Step(URGENT, {}, [welcome() + "\n\n" + question(URGENT, {})])


def answer(step: str, answers: dict, text: str) -> Step:
    """The next step after `text` answered `step`; the same step again with a hint when it is not an answer."""
    said = " ".join(text.casefold().split())
    answers = dict(answers)
    if step == URGENT:
        if said not in YES | NO:
            return not_understood(step, answers)
        answers["urgent"] = said in YES
        first = [emergency()] if answers["urgent"] else []
        return Step(HARMS, answers, ["\n\n".join([*first, question(HARMS, answers)])])
    if step == HARMS:
        codes = _harms(said)
        if not codes:
            return not_understood(step, answers)
        answers["harms"] = codes
        return _next(KECAMATAN, answers)
    if step == KECAMATAN:
        region = _pick(list(regions.kecamatan_of_city()), said, within=None)
        if region is None:
            return not_understood(step, answers)
        answers["kecamatan"] = region.code
        return _next(KELURAHAN, answers)
    if step == KELURAHAN:
        if said in NOT_KNOWN:
            answers["kelurahan"] = ""
            return _next(AGE, answers)
        region = _pick(list(regions.kelurahan_of(answers["kecamatan"])), said, within=answers["kecamatan"])
        if region is None:
            return not_understood(step, answers)
        answers["kelurahan"] = region.code
        return _next(AGE, answers)
    if step == AGE:
        if said in NOT_KNOWN - {"0"}:  # 0 is an age here: a baby
            answers["child_age"] = None
        elif said.isdigit() and int(said) <= 17:
            answers["child_age"] = int(said)
        else:
            return not_understood(step, answers)
        return _next(CONTACT, answers)
    if said not in STAY_ANONYMOUS | MAY_CONTACT:
        return not_understood(step, answers)
    answers["anonymous"] = said in STAY_ANONYMOUS
    return Step(DONE, answers)


def _next(step: str, answers: dict) -> Step:
    return Step(step, answers, [question(step, answers)])


def _harms(said: str) -> list[str]:
    said = said.replace("dan", " ")
    numbers = [int(n) for n in NUMBERS.findall(said)]
    if not LIST_OF_NUMBERS.fullmatch(said) or not numbers or any(not 1 <= n <= len(Harm.values) for n in numbers):
        return []
    return list(dict.fromkeys(Harm.values[n - 1] for n in numbers))


def _pick(options: list, said: str, *, within: str | None):
    """By its number in the list just sent, or by its name (or a known alias: "Grogol" for Gerogol)."""
    if said.isdigit():
        number = int(said)
        return options[number - 1] if 1 <= number <= len(options) else None
    codes = {option.code for option in options}
    named = [region for region in regions.regions_named(said, within=within) if region.code in codes]
    return named[0] if len(named) == 1 else None
