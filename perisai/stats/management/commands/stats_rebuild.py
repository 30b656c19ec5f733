import time

from django.core.management.base import BaseCommand, CommandError

from perisai.stats import tallies


class Command(BaseCommand):
    help = (
        "Hitung ulang semua tabulasi statistik tersimpan dari data kasus (dasbor dan laporan bulanan membacanya). "
        "Dengan --check: hanya bandingkan dengan hitungan baru, tanpa mengubah apa pun kecuali perubahan yang "
        "menunggu dihitung."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Bandingkan saja; gagal bila ada selisih.")

    def handle(self, *args, check=False, **options):
        started = time.monotonic()
        if check:
            found = tallies.differences()
            if found:
                raise CommandError("Tabulasi berbeda dari hitungan baru:\n" + "\n".join(found))
            self.stdout.write(self.style.SUCCESS("Tabulasi statistik sama dengan hitungan baru."))
            return

        def progress(basis, month):
            if options["verbosity"] > 1:
                self.stdout.write(f"  {basis} {month:%Y-%m}")

        count = tallies.rebuild(progress)
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"{count} kasus dihitung ulang dalam {seconds:.0f} detik."))
