from django.urls import path

from onward.directory import views

urlpatterns = [
    path("me/services/", views.person_directory, name="person_directory"),
    path("me/services/<int:service_id>/", views.person_service, name="person_service"),
    path("staff/directory/", views.staff_directory, name="staff_directory"),
    path("staff/directory/new/", views.service_new, name="service_new"),
    path("staff/directory/<int:service_id>/", views.staff_service, name="staff_service"),
    path("staff/directory/<int:service_id>/edit/", views.service_edit, name="service_edit"),
    path("staff/directory/<int:service_id>/checked/", views.service_checked, name="service_checked"),
    path("staff/directory/<int:service_id>/withdraw/", views.service_withdraw, name="service_withdraw"),
    path("staff/directory/<int:service_id>/publish/", views.service_publish, name="service_publish"),
]
