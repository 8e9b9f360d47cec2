from django.urls import path

from onward.curfew import views

urlpatterns = [
    path("staff/people/<int:person_id>/location/<str:day>/", views.person_day, name="person_day"),
    path("staff/people/<int:person_id>/curfew/", views.terms_page, name="terms"),
    path("staff/people/<int:person_id>/curfew/variations/", views.variation_add, name="variation_add"),
    path("staff/people/<int:person_id>/curfew/random-check-ins/", views.random_checkins, name="random_checkins"),
    path("staff/alerts/<int:alert_id>/evidence/", views.evidence_download, name="evidence_pack"),
    path("me/curfew/", views.own_terms_page, name="own_terms"),
]
