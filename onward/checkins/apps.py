from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "onward.checkins"
    label = "checkins"
    verbose_name = "Remote check-ins"
