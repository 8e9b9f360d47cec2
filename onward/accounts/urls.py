from django.urls import path

from onward.accounts import views

urlpatterns = [
    path("sign-in/", views.staff_sign_in, name="staff_sign_in"),
    path("sign-in/code/", views.staff_code, name="staff_code"),
    path("sign-in/set-up-code/", views.staff_code_setup, name="staff_code_setup"),
    path("sign-in/unlock/", views.staff_unlock, name="staff_unlock"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("me/sign-in/", views.person_sign_in, name="person_sign_in"),
    path("me/sign-in/code/", views.person_code_request, name="person_code_request"),
    path("me/sign-in/code/enter/", views.person_code_enter, name="person_code_enter"),
    path("me/activate/", views.person_activate, name="person_activate"),
    path("me/link/<str:token>/", views.person_link, name="person_link"),
    path("staff/people/<int:person_id>/pin/", views.person_pin_reset, name="person_pin_reset"),
    path("staff/people/<int:person_id>/activation-code/", views.person_activation_code, name="person_activation_code"),
    path(
        "staff/people/<int:person_id>/devices/<int:token_id>/revoke/",
        views.person_device_revoke,
        name="person_device_revoke",
    ),
]
