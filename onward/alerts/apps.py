from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "onward.alerts"
    label = "alerts"
    verbose_name = "Alerts"

    def ready(self) -> None:
        from onward.alerts.selectors import alerts_waiting_count
        from onward.core.navigation import navigation_count

        # The staff menu shows how many alerts wait for the signed-in practitioner.
        navigation_count("alerts:alert_list")(alerts_waiting_count)
