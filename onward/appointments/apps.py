from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "onward.appointments"
    label = "appointments"
    verbose_name = "Appointments and reminders"
