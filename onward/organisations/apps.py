from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "onward.organisations"
    label = "organisations"
