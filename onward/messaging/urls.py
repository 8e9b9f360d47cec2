from django.urls import path

from onward.messaging import views

urlpatterns = [
    path("me/messages/", views.inbox, name="inbox"),
    path("me/messages/staff/", views.staff_conversation_start, name="staff_conversation_start"),
    path("me/messages/staff/draft/", views.staff_conversation_start_draft, name="staff_conversation_start_draft"),
    path("me/messages/<int:conversation_id>/", views.conversation, name="conversation"),
    path("me/messages/<int:conversation_id>/draft/", views.conversation_draft, name="conversation_draft"),
    path("me/messages/announcements/<int:delivery_id>/", views.announcement, name="announcement"),
    path("messages/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("messages/contact/<str:token>/", views.contact_reply, name="contact_reply"),
    path("messages/contact/<str:token>/draft/", views.contact_reply_draft, name="contact_reply_draft"),
    path("staff/messages/", views.staff_inbox, name="staff_inbox"),
    path("staff/messages/<int:conversation_id>/", views.staff_conversation, name="staff_conversation"),
    path(
        "staff/messages/<int:conversation_id>/draft/", views.staff_conversation_draft, name="staff_conversation_draft"
    ),
    path("staff/messages/<int:conversation_id>/flags/<int:message_id>/", views.flag_review, name="flag_review"),
    path("staff/people/<int:person_id>/messages/", views.staff_person_conversation, name="staff_person"),
    path("staff/message-review/", views.review_list, name="review_list"),
    path("staff/message-review/<int:message_id>/", views.review_message, name="review_message"),
    path("staff/contacts/", views.contact_list, name="contact_list"),
    path("staff/contacts/new/", views.contact_add, name="contact_add"),
    path("staff/contacts/<int:contact_id>/", views.contact_status, name="contact_status"),
    path("staff/announcements/new/", views.broadcast_new, name="broadcast_new"),
    path("staff/word-lists/", views.word_list_index, name="word_list_index"),
    path("staff/word-lists/new/", views.word_list_new, name="word_list_new"),
    path("staff/word-lists/<int:word_list_id>/", views.word_list_detail, name="word_list"),
    path("staff/word-lists/<int:word_list_id>/policy/", views.word_list_policy, name="word_list_policy"),
    path("staff/word-lists/<int:word_list_id>/try/", views.word_list_try, name="word_list_try"),
    path("staff/word-lists/<int:word_list_id>/terms/new/", views.term_new, name="term_new"),
    path("staff/word-lists/<int:word_list_id>/terms/upload/", views.term_upload, name="term_upload"),
    path("staff/word-lists/<int:word_list_id>/terms/<int:term_id>/remove/", views.term_delete, name="term_remove"),
]
