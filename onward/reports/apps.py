from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "onward.reports"
    label = "reports"
    verbose_name = "Reports"
