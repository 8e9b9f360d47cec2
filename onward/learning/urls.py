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
    # Editors write courses here (the Django admin is for administrators only).
    path("staff/courses/", views.editor_courses, name="editor_courses"),
    path("staff/courses/new/", views.editor_course_new, name="editor_course_new"),
    path("staff/courses/<int:course_id>/", views.editor_course, name="editor_course"),
    path("staff/courses/<int:course_id>/edit/", views.editor_course_edit, name="editor_course_edit"),
    path(
        "staff/courses/<int:course_id>/<slug:action>/",
        views.editor_course_action,
        name="editor_course_action",
    ),
    path("staff/courses/<int:course_id>/parts/new/", views.editor_module_new, name="editor_module_new"),
    path("staff/courses/parts/<int:module_id>/edit/", views.editor_module_edit, name="editor_module_edit"),
    path("staff/courses/<int:course_id>/lessons/new/", views.editor_lesson_new, name="editor_lesson_new"),
    path("staff/courses/lessons/<int:lesson_id>/", views.editor_lesson, name="editor_lesson"),
    path("staff/courses/lessons/<int:lesson_id>/edit/", views.editor_lesson_edit, name="editor_lesson_edit"),
    path("staff/courses/lessons/<int:lesson_id>/delete/", views.editor_lesson_delete, name="editor_lesson_delete"),
    path(
        "staff/courses/lessons/<int:lesson_id>/questions/new/",
        views.editor_question_new,
        name="editor_question_new",
    ),
    path(
        "staff/courses/questions/<int:question_id>/edit/",
        views.editor_question_edit,
        name="editor_question_edit",
    ),
    path(
        "staff/courses/questions/<int:question_id>/delete/",
        views.editor_question_delete,
        name="editor_question_delete",
    ),
    path(
        "staff/courses/move/<slug:what>/<int:thing_id>/<slug:direction>/",
        views.editor_move,
        name="editor_move",
    ),
    path("staff/self-assessments/new/", views.editor_assessment_new, name="editor_assessment_new"),
    path("staff/self-assessments/<int:assessment_id>/", views.editor_assessment, name="editor_assessment"),
    path(
        "staff/self-assessments/<int:assessment_id>/edit/",
        views.editor_assessment_edit,
        name="editor_assessment_edit",
    ),
    path(
        "staff/self-assessments/<int:assessment_id>/questions/new/",
        views.editor_assessment_question_new,
        name="editor_assessment_question_new",
    ),
    path(
        "staff/self-assessments/questions/<int:question_id>/edit/",
        views.editor_assessment_question_edit,
        name="editor_assessment_question_edit",
    ),
    path(
        "staff/self-assessments/<int:assessment_id>/<slug:action>/",
        views.editor_assessment_action,
        name="editor_assessment_action",
    ),
]
