from django.urls import path

from onward.checkins import views

urlpatterns = [
    path("staff/people/<int:person_id>/check-ins/", views.enrolment, name="enrolment"),
    path("staff/people/<int:person_id>/check-ins/stop/", views.enrolment_stop, name="enrolment_stop"),
    path("staff/people/<int:person_id>/check-ins/restart/", views.enrolment_restart, name="enrolment_restart"),
    path("staff/people/<int:person_id>/check-ins/questions/", views.extra_question_add, name="extra_question_add"),
    path("staff/people/<int:person_id>/check-ins/reference-photo/", views.reference_photo, name="reference_photo"),
    path("staff/people/<int:person_id>/check-ins/voice/", views.voice_enrol, name="voice_enrol"),
    path("staff/people/<int:person_id>/check-ins/no-voice/", views.voice_exempt, name="voice_exempt"),
    path("staff/people/<int:person_id>/check-ins/suitability/", views.suitability, name="suitability"),
    path(
        "staff/people/<int:person_id>/check-ins/suitability/<int:screen_id>/approve/",
        views.suitability_approve,
        name="suitability_approve",
    ),
    path("staff/check-ins/<int:checkin_id>/after-review/", views.review_follow_up, name="review_follow_up"),
    path("staff/check-ins/", views.review_queue, name="review_queue"),
    path("staff/check-ins/statistics/", views.statistics, name="statistics"),
    path("staff/check-ins/<int:checkin_id>/", views.checkin_review, name="review"),
    path("staff/check-ins/<int:checkin_id>/close/", views.checkin_close, name="close"),
    path("staff/check-ins/media/<int:media_id>/", views.checkin_media, name="media"),
    path("me/check-in/", views.person_checkin, name="person_checkin"),
    path("me/check-in/<int:checkin_id>/sent/", views.person_sent, name="person_sent"),
]
