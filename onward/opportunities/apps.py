from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "onward.opportunities"
    label = "opportunities"
    verbose_name = "Early release: home detention curfew and release on temporary licence"
