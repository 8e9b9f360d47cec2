from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "onward.directory"
    label = "directory"
    verbose_name = "Services directory"
