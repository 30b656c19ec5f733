"""manage.py import_cases FILE --user EMAIL [--template NAME] [--yes]

Reads an office register (xlsx, xls, ods, csv) and prints the dry run: every row's problems and what would be
created. With --yes and no problem, imports it all or nothing as that supervisor (the same services, audit and
tallies as /staf/impor/). Importing the same file again creates nothing new."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from perisai.accounts.models import User
from perisai.imports import services
from perisai.imports.columns import BY_KEY, mapping_from_template
from perisai.imports.models import ImportTemplate
from perisai.imports.plan import make_plan
from perisai.imports.policies import import_policy
from perisai.imports.reading import UnreadableFile, read_sheet


class Command(BaseCommand):
    help = "Impor register kasus lama (xlsx, xls, ods, csv): periksa dulu, impor dengan --yes."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="e-mail of the supervisor the cases are created by")
        parser.add_argument("--template", help="a saved column template (/staf/impor/)")
        parser.add_argument("--yes", action="store_true", help="import when the dry run finds no problem")

    def handle(self, *args, file: Path, user: str, template: str | None, yes: bool, **options):
        actor = User.objects.filter(email__iexact=user, is_active=True).first()
        if actor is None or not import_policy.can(actor, "import"):
            raise CommandError("Pengguna ini tidak ada atau bukan supervisor kantor.")
        try:
            content = file.read_bytes()
            sheet = read_sheet(content, file.name)
        except (OSError, UnreadableFile) as error:
            raise CommandError(str(error)) from error
        mapping = None
        if template:
            saved = ImportTemplate.objects.filter(name=template).first()
            if saved is None:
                raise CommandError(f"Templat “{template}” tidak ada.")
            mapping = mapping_from_template(saved.mapping, make_plan(sheet).headers)
        plan = make_plan(sheet, mapping)
        columns = ", ".join(f"{BY_KEY[key].label} = {plan.headers[col]!r}" for key, col in plan.mapping.items())
        self.stdout.write(f"Baris judul: {plan.header_row + 1}. Kolom: {columns}")
        self.stdout.write(
            f"{plan.rows_read} baris, {len(plan.cases)} kasus ({len(plan.new_cases)} baru, "
            f"{plan.skipped_cases} sudah diimpor)."
        )
        for problem in plan.problems:
            self.stdout.write(f"  baris {problem.row} · {problem.column}: {problem.message}")
        if plan.problems:
            raise CommandError(f"{len(plan.problems)} masalah; tidak ada yang diimpor.")
        if not yes:
            self.stdout.write("Tidak ada masalah. Jalankan lagi dengan --yes untuk mengimpor.")
            return
        try:
            result = services.import_run(
                actor=actor, plan=plan, file_sha256=hashlib.sha256(content).hexdigest(), filename=file.name
            )
        except services.ImportRefused as refused:
            raise CommandError(f"{refused} Tidak ada yang diimpor.") from refused
        self.stdout.write(self.style.SUCCESS(f"{len(result.created)} kasus dibuat, {result.skipped} dilewati."))
