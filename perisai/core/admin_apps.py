from django.contrib.admin.apps import AdminConfig


class PerisaiAdminConfig(AdminConfig):
    default_site = "perisai.core.admin_site.PerisaiAdminSite"
