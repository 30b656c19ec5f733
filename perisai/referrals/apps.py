from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "perisai.referrals"
    label = "referrals"
    verbose_name = "Rujukan"
