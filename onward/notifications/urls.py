from django.urls import path

from onward.notifications import views

urlpatterns = [path("sms-log/", views.sms_log, name="sms_log")]
