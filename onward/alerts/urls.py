from django.urls import path

from onward.alerts import views

urlpatterns = [
    path("staff/alerts/", views.alert_list, name="alert_list"),
    path("staff/alerts/<int:alert_id>/", views.alert_detail, name="alert_detail"),
    path("staff/alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("staff/alerts/<int:alert_id>/notes/", views.alert_note, name="alert_note"),
    path("staff/alerts/<int:alert_id>/close/", views.alert_close, name="alert_close"),
]
