from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "onward.jobs"
    label = "jobs"
