"""Messaging records in the admin site: evidence, read-only. Changes go through the services."""

from django.contrib import admin

from onward.core.admin_mixins import ReadOnlyAdmin
from onward.core.admin_site import admin_site
from onward.messaging.models import ApprovedContact, Broadcast, Conversation, Draft, Message, Term, WordList


@admin.register(Conversation, site=admin_site)
class ConversationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "person", "kind", "created_at", "last_message_at"]
    list_filter = ["kind"]
    list_select_related = ["person"]


@admin.register(Message, site=admin_site)
class MessageAdmin(ReadOnlyAdmin):
    # The text is not listed: opening a message is the audited way to read it.
    list_display = ["pk", "conversation", "author_kind", "state", "flag", "created_at", "reviewed_at"]
    list_filter = ["state", "flag", "author_kind"]
    exclude = ["body"]


@admin.register(Draft, site=admin_site)
class DraftAdmin(ReadOnlyAdmin):
    # Only its author may read a draft: the admin shows that one exists and its age, never the text.
    list_display = ["pk", "conversation", "updated_at"]
    exclude = ["body"]


@admin.register(ApprovedContact, site=admin_site)
class ApprovedContactAdmin(ReadOnlyAdmin):
    list_display = ["name", "relationship", "person", "status", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["person"]


@admin.register(WordList, site=admin_site)
class WordListAdmin(ReadOnlyAdmin):
    list_display = ["unit", "policy", "show_read_receipts_to_people", "updated_at"]


@admin.register(Term, site=admin_site)
class TermAdmin(ReadOnlyAdmin):
    list_display = ["text", "kind", "category", "word_list"]
    list_filter = ["kind", "category"]
    search_fields = ["text"]


@admin.register(Broadcast, site=admin_site)
class BroadcastAdmin(ReadOnlyAdmin):
    list_display = ["title", "audience", "unit", "recipient_count", "created_at"]
    list_filter = ["audience"]
