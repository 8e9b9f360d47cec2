from django.apps import AppConfig


class CurfewConfig(AppConfig):
    name = "onward.curfew"
    label = "curfew"
    verbose_name = "Curfew, zones and location"
