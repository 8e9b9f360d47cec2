from django.urls import path

from onward.learning import views

urlpatterns = [
    path("me/learning/", views.learning_home, name="home"),
    path("me/learning/courses/<int:course_id>/", views.course_detail, name="course"),
    path("me/learning/courses/<int:course_id>/enrol/", views.course_enrol, name="course_enrol"),
    path("me/learning/courses/<int:course_id>/certificate/", views.certificate_download, name="certificate"),
    path("me/learning/lessons/<int:lesson_id>/", views.lesson_detail, name="lesson"),
    path("me/learning/lessons/<int:lesson_id>/media/", views.lesson_media, name="lesson_media"),
    path("me/learning/self-assessments/<int:assessment_id>/", views.assessment_detail, name="assessment"),
    path("staff/people/<int:person_id>/learning/", views.person_learning, name="person_learning"),
    path("staff/people/<int:person_id>/learning/enrol/", views.person_enrol, name="person_enrol"),
    path("staff/learning/", views.completion_list, name="completion_list"),
    path("staff/learning/courses/<int:course_id>/", views.completion_detail, name="completion_detail"),
    path("certificates/verify/", views.certificate_verify, name="certificate_verify"),
]
