from django.urls import path

from onward.reports import views

urlpatterns = [
    path("staff/reports/", views.report_page, name="report_page"),
    path("staff/reports/<slug:code>.csv", views.report_csv, name="report_csv"),
]
