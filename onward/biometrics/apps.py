from django.apps import AppConfig


class BiometricsConfig(AppConfig):
    name = "onward.biometrics"
    label = "biometrics"
    verbose_name = "Biometrics (face match and liveness)"
