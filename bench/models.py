"""The plain-Django baseline's one table (bench.settings only; never in production, no migration).

The same fields a reporter fills in on /lapor/, stored as plain columns: no encryption, no blind indexes, no
foreign keys to the regions, no audit. `bench.views.ensure_table()` creates the table with Django's schema editor.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from perisai.core.simfoni import PerpetratorRelationship, PlaceOfOccurrence, Sex
from perisai.reports.choices import IncidentPeriod, ReporterRelation


class PlainReport(models.Model):
    received_at = models.DateTimeField(default=timezone.now)
    urgent = models.BooleanField(default=False)
    harms = models.JSONField(default=list, blank=True)
    narrative = models.TextField(blank=True, max_length=10_000)
    kecamatan = models.CharField(max_length=13, blank=True)
    kelurahan = models.CharField(max_length=13, blank=True)
    location_detail = models.CharField(max_length=500, blank=True)
    place = models.CharField(max_length=30, choices=PlaceOfOccurrence.choices, blank=True)
    incident_period = models.CharField(max_length=20, choices=IncidentPeriod.choices, blank=True)
    incident_date = models.DateField(null=True, blank=True)
    child_name = models.CharField(max_length=150, blank=True)
    child_age = models.PositiveSmallIntegerField(null=True, blank=True)
    child_sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    child_school = models.CharField(max_length=200, blank=True)
    perpetrator_description = models.TextField(blank=True, max_length=2_000)
    perpetrator_relationship = models.CharField(max_length=20, choices=PerpetratorRelationship.choices, blank=True)
    reporter_anonymous = models.BooleanField(default=True)
    reporter_name = models.CharField(max_length=150, blank=True)
    reporter_phone = models.CharField(max_length=20, blank=True)
    reporter_email = models.EmailField(blank=True)
    reporter_relation = models.CharField(max_length=20, choices=ReporterRelation.choices, blank=True)
    contact_preference = models.CharField(max_length=500, blank=True)

    class Meta:
        app_label = "bench"
        db_table = "bench_plainreport"

    def __str__(self) -> str:
        return f"plain report {self.pk}"
