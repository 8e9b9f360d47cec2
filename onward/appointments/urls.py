from django.urls import path

from onward.appointments import views
from onward.notifications import notify

urlpatterns = [
    path("staff/appointments/", views.diary, name="diary"),
    path("staff/appointments/calendar/", views.staff_calendar, name="staff_calendar"),
    path("staff/appointments/<int:appointment_id>/", views.detail, name="detail"),
    path("staff/appointments/<int:appointment_id>/rearrange/", views.rearrange, name="rearrange"),
    path("staff/appointments/<int:appointment_id>/cancel/", views.cancel, name="cancel"),
    path("staff/appointments/<int:appointment_id>/attendance/", views.attendance, name="attendance"),
    path("staff/appointments/slots/", views.slots, name="slots"),
    path("staff/appointments/slots/new/", views.slots_new, name="slots_new"),
    path("staff/appointments/slots/<int:slot_id>/withdraw/", views.slot_withdraw, name="slot_withdraw"),
    path("staff/people/<int:person_id>/appointments/new/", views.book, name="book"),
    path("me/appointments/", views.person_appointments, name="person_appointments"),
    path("me/appointments/calendar/", views.person_calendar, name="person_calendar"),
    path("me/appointments/reminders/", views.person_reminders, name="person_reminders"),
    path("me/appointments/book/", views.person_slots, name="person_slots"),
    path("me/appointments/book/<int:slot_id>/", views.person_slot_book, name="person_slot_book"),
    path("me/appointments/<int:appointment_id>/", views.person_appointment, name="person_appointment"),
    path("me/appointments/<int:appointment_id>/confirm/", views.person_confirm, name="person_confirm"),
    path("me/appointments/<int:appointment_id>/rearrange/", views.person_rearrange, name="person_rearrange"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("notify/delivery-status/", notify.delivery_status_callback, name="notify_delivery_status"),
    path("notify/inbound-sms/", notify.inbound_sms_callback, name="notify_inbound_sms"),
]
