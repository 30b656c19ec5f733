"""Outreach operations and coordination meetings now belong to their own apps (issue 12); their tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("outreach", "0001_initial"),
        ("referrals", "0004_referral_live_indexes"),
    ]

    operations = [
        # The tables stay where they are (same names, same rows): only Django's idea of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="meetingactionitem",
                    name="meeting",
                ),
                migrations.RemoveField(
                    model_name="meetingactionitem",
                    name="agency",
                ),
                migrations.RemoveField(
                    model_name="meetingactionitem",
                    name="done_by",
                ),
                migrations.RemoveField(
                    model_name="outreachchild",
                    name="operation",
                ),
                migrations.RemoveField(
                    model_name="outreachchild",
                    name="report",
                ),
                migrations.RemoveField(
                    model_name="outreachoperation",
                    name="agencies",
                ),
                migrations.RemoveField(
                    model_name="outreachoperation",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="outreachoperation",
                    name="kecamatan",
                ),
                migrations.DeleteModel(
                    name="Meeting",
                ),
                migrations.DeleteModel(
                    name="MeetingActionItem",
                ),
                migrations.DeleteModel(
                    name="OutreachChild",
                ),
                migrations.DeleteModel(
                    name="OutreachOperation",
                ),
            ],
        ),
    ]
