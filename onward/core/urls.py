from django.urls import path

from onward.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("manifest.webmanifest", views.web_app_manifest, name="web_app_manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("cookies/", views.cookies, name="cookies"),
    path("help/", views.help_and_contact, name="help"),
    path("help/check-ins/", views.checkin_guidance, name="checkin_guidance"),
]
