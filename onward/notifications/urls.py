from django.urls import path

from onward.notifications import views

urlpatterns = [
    path("staff/notifications/sms-log/", views.sms_log, name="sms_log"),
    path("me/notifications/", views.person_push, name="person_push"),
    path("me/inbox/", views.person_inbox, name="person_inbox"),
    path("me/inbox/read/", views.person_inbox_read, name="person_inbox_read"),
    path("me/notifications/<int:subscription_id>/off/", views.person_push_off, name="person_push_off"),
]
