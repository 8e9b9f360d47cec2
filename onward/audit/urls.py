from django.urls import path

from onward.audit import views

urlpatterns = [path("", views.audit_search, name="search")]
