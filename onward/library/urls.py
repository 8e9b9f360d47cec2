from django.urls import path

from onward.library import views

urlpatterns = [
    path("me/library/", views.home, name="home"),
    path("me/library/search/", views.search, name="search"),
    path("me/library/saved/", views.saved, name="saved"),
    path("me/library/topics/<slug:slug>/", views.topic, name="topic"),
    path("me/library/items/<int:item_id>/", views.item, name="item"),
    path("me/library/items/<int:item_id>/media/", views.media, name="media"),
    path("me/library/items/<int:item_id>/save/", views.item_save, name="item_save"),
    path("me/library/items/<int:item_id>/rate/", views.item_rate, name="item_rate"),
    path("staff/library/", views.editor_list, name="editor_list"),
    path("staff/library/new/", views.editor_new, name="editor_new"),
    path("staff/library/<int:item_id>/", views.editor_detail, name="editor_detail"),
    path("staff/library/<int:item_id>/edit/", views.editor_edit, name="editor_edit"),
    path("staff/library/<int:item_id>/preview/", views.editor_preview, name="editor_preview"),
    path("staff/library/<int:item_id>/media/", views.editor_media, name="editor_media"),
    path(
        "staff/library/<int:item_id>/<str:action>/",
        views.editor_action,
        name="editor_action",
    ),
]
