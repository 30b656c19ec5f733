from django.contrib.admin.apps import AdminConfig


class PerisaiAdminConfig(AdminConfig):
    default_site = "perisai.accounts.admin_site.PerisaiAdminSite"
