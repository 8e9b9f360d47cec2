from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run`: the top layer, so it may use every app and the tests' factories."""

    name = "onward.demo"
    label = "demo"
