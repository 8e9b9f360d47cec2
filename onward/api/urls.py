from django.urls import path

from onward.api.api import api

urlpatterns = [path("", api.urls)]
