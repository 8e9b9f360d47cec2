from django.urls import path

from onward.people import views

urlpatterns = [
    path("staff/", views.caseload, name="caseload"),
    path("staff/people/new/", views.person_create_view, name="person_create"),
    path("staff/people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("staff/people/<int:person_id>/edit/", views.person_edit_view, name="person_edit"),
    path("staff/people/<int:person_id>/contact/", views.person_contact_view, name="person_contact"),
    path("staff/people/<int:person_id>/release/", views.person_release_view, name="person_release"),
    path(
        "staff/people/<int:person_id>/end-supervision/",
        views.person_supervision_end_view,
        name="person_supervision_end",
    ),
    path("staff/people/<int:person_id>/licence/new/", views.person_licence_issue, name="person_licence_issue"),
    path("staff/licence/not-confirmed/", views.licence_unconfirmed, name="licence_unconfirmed"),
    path("staff/subject-access/", views.subject_access, name="subject_access"),
    path("staff/people/import/", views.people_import, name="people_import"),
    path("staff/people/import/<str:key>/", views.people_import_preview, name="people_import_preview"),
    path("me/", views.person_home, name="person_home"),
    path("me/licence/", views.person_licence, name="person_licence"),
    path("me/contact/", views.person_contact_own, name="person_contact_own"),
    path("me/licence/<int:version_id>/confirm/", views.person_licence_confirm, name="person_licence_confirm"),
]
