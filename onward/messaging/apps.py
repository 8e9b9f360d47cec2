from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "onward.messaging"
    label = "messaging"
    verbose_name = "Messaging"

    def ready(self) -> None:
        from onward.messaging import signals  # noqa: F401 - word list changes invalidate the cached automaton
