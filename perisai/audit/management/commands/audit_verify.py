from django.core.management.base import BaseCommand, CommandError

from perisai.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Periksa rantai hash jejak audit; sebutkan kejadian pertama yang rusak."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(f"Jejak audit RUSAK: {report.problem}. {report.checked} kejadian sebelumnya utuh.")
        self.stdout.write(self.style.SUCCESS(f"Jejak audit utuh: {report.checked} kejadian."))
        # Keep this value somewhere else (a printed log, another system): a later run that reaches a
        # different hash for the same event count means the whole chain was rewritten.
        self.stdout.write(f"Hash terakhir: {report.head_hash or '-'}")
