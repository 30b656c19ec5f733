from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "perisai.channels"
    label = "channels"
    verbose_name = "Saluran WhatsApp dan SMS"

    def ready(self):
        # Imported here, not at the top: an AppConfig module is loaded before the models these modules use.
        from perisai.channels import checks, subscribers  # noqa: F401 - checks registers the system check

        subscribers.subscribe()
