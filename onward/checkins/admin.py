from django.contrib import admin

from onward.checkins.models import (
    Answer,
    CheckIn,
    CheckInMedia,
    Enrolment,
    ExtraQuestion,
    Question,
    Questionnaire,
    Review,
    SuitabilityScreen,
    Verification,
)
from onward.core.admin_mixins import ReadOnlyAdmin
from onward.core.admin_site import admin_site

# All read-only: check-ins are evidence, and every change goes through the services, which audit it.


@admin.register(Enrolment, site=admin_site)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["person", "schedule", "window_hours", "contact_preference", "active", "engine", "model_version"]
    list_filter = ["active", "schedule"]
    exclude = ["template_encrypted", "voice_template_encrypted"]
    list_select_related = ["person"]


@admin.register(Questionnaire, site=admin_site)
class QuestionnaireAdmin(ReadOnlyAdmin):
    list_display = ["version", "active", "created_at"]


@admin.register(Question, site=admin_site)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["questionnaire", "position", "key", "kind", "text_en"]
    list_filter = ["questionnaire"]


@admin.register(ExtraQuestion, site=admin_site)
class ExtraQuestionAdmin(ReadOnlyAdmin):
    list_display = ["person", "text", "asked_by", "created_at", "checkin"]


@admin.register(CheckIn, site=admin_site)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ["person", "due_date", "state", "flagged", "face_decision", "location_verdict", "submitted_at"]
    list_filter = ["state", "flagged", "face_decision"]
    list_select_related = ["person"]
    exclude = ["latitude", "longitude"]


@admin.register(Answer, site=admin_site)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["checkin", "question", "extra_question", "flagged"]


@admin.register(CheckInMedia, site=admin_site)
class CheckInMediaAdmin(ReadOnlyAdmin):
    """Metadata only: the pictures themselves are seen through the audited review page."""

    list_display = ["checkin", "kind", "content_type", "size_bytes", "attempt", "uploaded_at", "deleted_at"]
    exclude = ["file"]


@admin.register(Verification, site=admin_site)
class VerificationAdmin(ReadOnlyAdmin):
    list_display = ["checkin", "status", "decision", "distance", "liveness_passed", "engine", "model_version"]
    list_filter = ["status", "decision", "engine"]


@admin.register(Review, site=admin_site)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["checkin", "decision", "reviewer", "reviewed_at"]
    list_filter = ["decision"]


@admin.register(SuitabilityScreen, site=admin_site)
class SuitabilityScreenAdmin(ReadOnlyAdmin):
    list_display = ["person", "outcome", "screened_at", "screened_by", "approved_at", "approved_by", "rules_version"]
    list_filter = ["outcome"]
    list_select_related = ["person", "screened_by", "approved_by"]
