from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "perisai.accounts"
    label = "accounts"
    verbose_name = "Akun dan instansi"
