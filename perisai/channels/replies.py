"""What Perisai writes back to a reporter on WhatsApp or SMS, in the office's language (plain Indonesian)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from perisai.reports.choices import MessageSender
from perisai.reports.selectors import report_progress

STATUS_MESSAGES = 3  # the latest messages from the office in a STATUS answer: an SMS stays readable


def progress_of(report) -> str:
    """What /lapor/cek/ shows the reporter about where their report stands (reports.selectors.report_progress): the
    headline, then each step, done [x] with its date or still ahead [ ]. No partner named, no reason for a closing."""
    progress = report_progress(report=report)
    steps = [
        f"[{'x' if step.done else ' '}] {step.label}"
        + (f" ({timezone.localtime(step.at):%d-%m-%Y})" if step.at else "")
        for step in progress.steps
    ]
    return "\n".join([progress.headline, *steps])


def status(report) -> str:
    lines = [_("Laporan %(code)s: %(progress)s") % {"code": report.tracking_code, "progress": progress_of(report)}]
    from_office = [message for message in report.messages.all() if message.sender == MessageSender.STAFF]
    for message in from_office[-STATUS_MESSAGES:]:
        when = timezone.localtime(message.sent_at).strftime("%d-%m-%Y %H:%M")
        lines.append(_("Pesan petugas (%(when)s): %(body)s") % {"when": when, "body": message.body})
    if not from_office:
        lines.append(_("Belum ada pesan dari petugas."))
    lines.append(how_to_answer(report.tracking_code))
    return "\n\n".join(lines)


def how_to_answer(code: str) -> str:
    return _("Untuk menjawab petugas, kirim: BALAS %(code)s <PIN> <pesan Anda>, atau buka %(url)s") % {
        "code": code,
        "url": settings.PERISAI_SITE_URL + reverse("reports_public:check"),
    }


def receipt(code: str, pin: str | None) -> str:
    if pin is None:  # the same report again: its PIN was sent the first time
        return _("Laporan ini sudah kami terima dengan kode %(code)s.") % {"code": code}
    return _(
        "Terima kasih. Laporan Anda sudah kami terima.\nKode: %(code)s\nPIN: %(pin)s\n"
        "Simpan kode dan PIN ini dan jangan berikan kepada orang lain. Untuk melihat perkembangannya, kirim: "
        "STATUS %(code)s %(pin)s"
    ) % {"code": code, "pin": pin}


def forwarded_unfinished(code: str, pin: str | None) -> str:
    # Neutral on purpose: it arrives unasked, minutes later, on a phone that may have been taken away by the very
    # person the report is about. No "danger", no "emergency", no "report of violence".
    if pin is None:
        return receipt(code, pin)
    return _(
        "Terima kasih, pesan Anda sudah kami terima dan kami teruskan ke petugas.\nKode: %(code)s\nPIN: %(pin)s\n"
        "Simpan kode dan PIN ini dan jangan berikan kepada orang lain. Petugas dapat membalas ke nomor ini. Jika "
        "ingin menambah keterangan, balas saja pesan ini."
    ) % {"code": code, "pin": pin}


def added_to_forwarded(code: str) -> str:
    return _("Pesan Anda sudah kami tambahkan ke laporan %(code)s. Petugas akan membalas ke nomor ini.") % {
        "code": code
    }


def forward_ended(code: str) -> str:
    return _("Baik. Laporan %(code)s tetap ada pada petugas. Pesan Anda berikutnya memulai laporan baru.") % {
        "code": code
    }


def staff_message(code: str, body: str) -> str:
    return "\n\n".join(
        [_("Pesan dari petugas UPTD PPA tentang laporan %(code)s:") % {"code": code}, body, how_to_answer(code)]
    )


def flooded() -> str:
    return _(
        "Terlalu banyak laporan dari nomor ini dalam satu jam. Kirim jawaban terakhir Anda lagi nanti, atau hubungi "
        "SAPA 129 (WhatsApp 08111-129-129). Jika anak dalam bahaya, hubungi 110 atau 112."
    )


def pin_rejected() -> str:
    return _("Kode atau PIN tidak cocok. Periksa kembali lalu coba lagi.")


def pin_locked(until) -> str:
    return _(
        "Terlalu banyak percobaan untuk kode ini. Coba lagi setelah pukul %(time)s. Jika anak dalam bahaya, hubungi "
        "129 atau 110."
    ) % {"time": timezone.localtime(until).strftime("%H:%M")}


def command_help() -> str:
    return _("Format: STATUS <kode> <PIN>, atau BALAS <kode> <PIN> <pesan>.")


def answer_received(code: str) -> str:
    return _("Pesan Anda untuk laporan %(code)s sudah kami terima.") % {"code": code}


def discarded() -> str:
    return _("Baik, laporan yang belum selesai sudah dihapus. Kirim pesan apa saja untuk mulai lagi.")


def words_please() -> str:
    return _("Mohon balas dengan tulisan, bukan foto atau suara.")
