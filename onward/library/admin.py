"""Topics and series are set up in the admin site; items and their revisions are shown read-only
(changes go through the editor pages and their workflow)."""

from django.contrib import admin

from onward.core.admin_mixins import PolicyAdmin, ReadOnlyAdmin
from onward.core.admin_site import admin_site
from onward.library.models import Item, Rating, Revision, Series, Topic


@admin.register(Topic, site=admin_site)
class TopicAdmin(PolicyAdmin):
    list_display = ["name", "name_cy", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Series, site=admin_site)
class SeriesAdmin(PolicyAdmin):
    list_display = ["title", "title_cy", "slug"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Item, site=admin_site)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "state", "audience", "all_prisons", "published_at", "updated_at"]
    list_filter = ["state", "kind", "audience"]


@admin.register(Revision, site=admin_site)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["item", "number", "created_by", "created_at", "audience", "approved_by", "approved_at"]


@admin.register(Rating, site=admin_site)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["item", "helped", "rated_at"]
    list_filter = ["helped"]
    exclude = ["person"]
