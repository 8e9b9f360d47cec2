from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "onward.library"
    label = "library"
    verbose_name = "Library"
