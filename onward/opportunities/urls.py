from django.urls import path

from onward.opportunities import views

urlpatterns = [
    path("staff/early-release/", views.staff_list, name="staff_list"),
    path("staff/people/<int:person_id>/early-release/", views.person_page, name="person"),
    path("staff/people/<int:person_id>/early-release/sentence/", views.sentence_edit, name="sentence"),
    path("staff/people/<int:person_id>/early-release/decide/", views.decide, name="decide"),
    path("staff/people/<int:person_id>/early-release/hdc/<int:case_id>/", views.hdc_move, name="hdc_move"),
    path("staff/people/<int:person_id>/early-release/rotl/", views.rotl_grant, name="rotl_grant"),
    path("staff/people/<int:person_id>/early-release/rotl/<int:grant_id>/out/", views.rotl_out, name="rotl_out"),
    path(
        "staff/people/<int:person_id>/early-release/absences/<int:absence_id>/back/", views.rotl_back, name="rotl_back"
    ),
    path("me/early-release/", views.my_early_release, name="mine"),
]
