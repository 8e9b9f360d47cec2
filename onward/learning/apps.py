from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "onward.learning"
    label = "learning"
    verbose_name = "Courses and self-assessments"
