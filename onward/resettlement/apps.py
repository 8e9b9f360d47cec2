from django.apps import AppConfig


class ResettlementConfig(AppConfig):
    name = "onward.resettlement"
    label = "resettlement"
    verbose_name = "Resettlement: plans, requests and release"
