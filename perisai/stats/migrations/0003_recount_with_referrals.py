from django.db import migrations


def mark_every_case(apps, schema_editor):
    """The tallies now hold the answered referrals too: recount every case (see 0002_tallies)."""
    Case = apps.get_model("cases", "Case")
    PendingRecount = apps.get_model("stats", "PendingRecount")
    ids = Case.objects.order_by("pk").values_list("pk", flat=True)
    PendingRecount.objects.bulk_create((PendingRecount(case_id=pk) for pk in ids.iterator()), batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0002_tallies"),
        ("referrals", "0004_referral_live_indexes"),
    ]

    operations = [migrations.RunPython(mark_every_case, migrations.RunPython.noop)]
