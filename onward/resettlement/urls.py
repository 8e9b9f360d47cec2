from django.urls import path

from onward.resettlement import views

urlpatterns = [
    path("me/plan/", views.my_plan, name="my_plan"),
    path("me/plan/to-do/", views.my_todo_add, name="my_todo_add"),
    path("me/plan/actions/<int:action_id>/", views.my_action_mark, name="my_action_mark"),
    path("staff/people/<int:person_id>/plan/", views.person_plan, name="person_plan"),
    path("staff/people/<int:person_id>/plan/assess/", views.person_assess, name="person_assess"),
    path("staff/people/<int:person_id>/plan/needs/<int:need_id>/", views.need_change, name="need_change"),
    path("staff/people/<int:person_id>/plan/actions/", views.action_add, name="action_add"),
    path("staff/people/<int:person_id>/plan/actions/<int:action_id>/", views.action_mark, name="action_mark"),
    path("me/plan/release-pack.pdf", views.my_release_pack, name="my_release_pack"),
    path("staff/people/<int:person_id>/plan/handover.pdf", views.person_handover_pdf, name="person_handover_pdf"),
    path("staff/people/<int:person_id>/plan/release-pack.pdf", views.person_release_pack, name="person_release_pack"),
    path("me/requests/", views.my_requests, name="my_requests"),
    path("me/requests/<int:request_id>/", views.my_request, name="my_request"),
    path("me/requests/<int:request_id>/withdraw/", views.my_request_withdraw, name="my_request_withdraw"),
    path("staff/requests/", views.staff_requests, name="staff_requests"),
    path("staff/requests/<int:request_id>/", views.staff_request, name="staff_request"),
    path("me/documents/", views.my_documents, name="my_documents"),
    path("me/documents/<int:document_id>/", views.my_document_download, name="my_document_download"),
    path("me/documents/<int:document_id>/remove/", views.my_document_remove, name="my_document_remove"),
    path("staff/people/<int:person_id>/documents/", views.person_documents, name="person_documents"),
    path("staff/people/<int:person_id>/documents/upload/", views.person_document_upload, name="person_document_upload"),
    path(
        "staff/people/<int:person_id>/documents/<int:document_id>/",
        views.person_document_download,
        name="person_document_download",
    ),
    path(
        "staff/people/<int:person_id>/documents/<int:document_id>/remove/",
        views.person_document_remove,
        name="person_document_remove",
    ),
    path("staff/people/<int:person_id>/applications/", views.application_start, name="application_start"),
    path(
        "staff/people/<int:person_id>/applications/<int:application_id>/",
        views.application_change,
        name="application_change",
    ),
]
