from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "onward.core"
    label = "core"

    def ready(self) -> None:
        # Every app's rules.py joins the one permission policy.
        autodiscover_modules("rules")
        # Every app's subject_access.py adds its part of a person's subject access export.
        autodiscover_modules("subject_access")
        # Every app's retention.py adds its rules to the daily retention job.
        autodiscover_modules("retention")
        # Every app's subscribers.py reacts to events that lower apps announce (onward.core.events).
        autodiscover_modules("subscribers")
        # Every app's reminders.py registers the reminder kinds the notifications app sends.
        autodiscover_modules("reminders")
        # Every app's record.py adds its part of a person's staff record page (onward.people.record).
        autodiscover_modules("record")
        # Every app's home.py adds its part of a person's home page (onward.people.home).
        autodiscover_modules("home")
        # Every app's attention.py adds its reasons why a person needs attention (onward.people.attention).
        autodiscover_modules("attention")
        # Every app's health.py adds its readiness checks to /readyz.
        autodiscover_modules("health")
