"""Course content in the Django admin, for administrators only (the admin site is theirs).

Editors write courses on Onward's own pages (`/staff/courses/`, services in content.py), where the
approval rule for custody applies; here the workflow fields are read-only, so publishing goes through
those pages too. The learning records are shown read-only, as evidence. Every save is audited.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from onward.audit.services import audit_record
from onward.core.admin_mixins import ReadOnlyAdmin
from onward.core.admin_site import admin_site
from onward.core.audit_actions import AuditAction
from onward.core.permissions import can
from onward.learning.content import MEDIA_SIGNATURES
from onward.learning.models import (
    Certificate,
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
    Module,
    Option,
    Question,
    SelfAssessmentOption,
    SelfAssessmentQuestion,
    SelfAssessmentResult,
    SelfAssessmentSet,
)

EDIT = "learning.edit"


class ContentAdmin(admin.ModelAdmin):
    """Content editors and administrators may write content; each save is audited with its inline rows.

    Each subclass names its audit actions (`audit_rows_saved` for its one inline table);
    `onward/audit/tests/test_actions.py` checks they match the model.
    """

    audit_added: AuditAction
    audit_changed: AuditAction
    audit_deleted: AuditAction
    audit_rows_saved: AuditAction

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can(request.user, EDIT)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, EDIT)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return can(request.user, EDIT)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, EDIT)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Content people have studied is kept (progress points at it): unpublish instead.
        return can(request.user, EDIT) and not _studied(obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            _audit(request, self.audit_changed if change else self.audit_added, obj, form)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            if formset.has_changed():
                audit_record(
                    actor=request.user,
                    role=EDIT,
                    action=self.audit_rows_saved,
                    target=form.instance,
                    data={"rows_changed": len([f for f in formset.forms if f.has_changed()])},
                )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            _audit(request, self.audit_deleted, obj, None)
            super().delete_model(request, obj)


class ContentInline(admin.TabularInline):
    extra = 1

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, EDIT)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, EDIT)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, EDIT)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, EDIT)


class ModuleInline(ContentInline):
    model = Module
    fields = ["title", "title_cy", "position"]


class LessonInline(ContentInline):
    model = Lesson
    fields = ["title", "kind", "position"]
    show_change_link = True


class QuestionInline(ContentInline):
    model = Question
    fields = ["text", "text_cy", "multiple", "position"]
    show_change_link = True


class OptionInline(ContentInline):
    model = Option
    fields = ["text", "text_cy", "correct", "feedback", "feedback_cy", "position"]
    extra = 3


class SelfAssessmentQuestionInline(ContentInline):
    model = SelfAssessmentQuestion
    fields = ["text", "text_cy", "position"]
    show_change_link = True


class SelfAssessmentOptionInline(ContentInline):
    model = SelfAssessmentOption
    fields = ["text", "text_cy", "score", "position"]
    extra = 4


class CourseAdmin(ContentAdmin):
    audit_added = AuditAction.LEARNING_CONTENT_COURSE_ADDED
    audit_changed = AuditAction.LEARNING_CONTENT_COURSE_CHANGED
    audit_deleted = AuditAction.LEARNING_CONTENT_COURSE_DELETED
    audit_rows_saved = AuditAction.LEARNING_CONTENT_MODULE_SAVED
    list_display = ["title", "audience", "published"]
    list_filter = ["audience", "published"]
    search_fields = ["title"]
    filter_horizontal = ["prisons"]
    exclude = ["created_at"]
    # The workflow moves only through the editors' pages, where a second editor approves custody courses.
    readonly_fields = ["published", "state", "changed_by", "approved_by", "approved_at"]
    inlines = [ModuleInline]


class ModuleAdmin(ContentAdmin):
    audit_added = AuditAction.LEARNING_CONTENT_MODULE_ADDED
    audit_changed = AuditAction.LEARNING_CONTENT_MODULE_CHANGED
    audit_deleted = AuditAction.LEARNING_CONTENT_MODULE_DELETED
    audit_rows_saved = AuditAction.LEARNING_CONTENT_LESSON_SAVED
    list_display = ["title", "course", "position"]
    list_filter = ["course"]
    inlines = [LessonInline]


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = [
            "module",
            "title",
            "title_cy",
            "kind",
            "body",
            "body_cy",
            "media",
            "pass_mark_percent",
            "position",
        ]

    def clean_media(self) -> Any:
        media = self.cleaned_data.get("media")
        uploaded = getattr(media, "content_type", None)
        if not media or uploaded is None:
            return media  # unchanged
        if media.size > settings.LESSON_MEDIA_MAX_BYTES:
            raise forms.ValidationError(_("The file is too big."))
        head = media.read(16)
        media.seek(0)
        signatures = MEDIA_SIGNATURES.get(uploaded, ())
        if not any(head[offset : offset + len(magic)] == magic for offset, magic in signatures):
            raise forms.ValidationError(_("Upload an MP3, MP4, Ogg or WebM file."))
        self.instance.media_content_type = uploaded
        return media


class LessonAdmin(ContentAdmin):
    audit_added = AuditAction.LEARNING_CONTENT_LESSON_ADDED
    audit_changed = AuditAction.LEARNING_CONTENT_LESSON_CHANGED
    audit_deleted = AuditAction.LEARNING_CONTENT_LESSON_DELETED
    audit_rows_saved = AuditAction.LEARNING_CONTENT_QUESTION_SAVED
    form = LessonForm
    list_display = ["title", "module", "kind", "position"]
    list_filter = ["kind", "module__course"]
    inlines = [QuestionInline]


class QuestionAdmin(ContentAdmin):
    audit_added = AuditAction.LEARNING_CONTENT_QUESTION_ADDED
    audit_changed = AuditAction.LEARNING_CONTENT_QUESTION_CHANGED
    audit_deleted = AuditAction.LEARNING_CONTENT_QUESTION_DELETED
    audit_rows_saved = AuditAction.LEARNING_CONTENT_OPTION_SAVED
    list_display = ["text", "lesson", "multiple"]
    list_filter = ["lesson__module__course"]
    inlines = [OptionInline]


class SelfAssessmentSetAdmin(ContentAdmin):
    audit_added = AuditAction.LEARNING_CONTENT_SELFASSESSMENTSET_ADDED
    audit_changed = AuditAction.LEARNING_CONTENT_SELFASSESSMENTSET_CHANGED
    audit_deleted = AuditAction.LEARNING_CONTENT_SELFASSESSMENTSET_DELETED
    audit_rows_saved = AuditAction.LEARNING_CONTENT_SELFASSESSMENTQUESTION_SAVED
    list_display = ["title", "published"]
    inlines = [SelfAssessmentQuestionInline]


class SelfAssessmentQuestionAdmin(ContentAdmin):
    audit_added = AuditAction.LEARNING_CONTENT_SELFASSESSMENTQUESTION_ADDED
    audit_changed = AuditAction.LEARNING_CONTENT_SELFASSESSMENTQUESTION_CHANGED
    audit_deleted = AuditAction.LEARNING_CONTENT_SELFASSESSMENTQUESTION_DELETED
    audit_rows_saved = AuditAction.LEARNING_CONTENT_SELFASSESSMENTOPTION_SAVED
    list_display = ["text", "assessment"]
    inlines = [SelfAssessmentOptionInline]


CONTENT = {
    Course: CourseAdmin,
    Module: ModuleAdmin,
    Lesson: LessonAdmin,
    Question: QuestionAdmin,
    SelfAssessmentSet: SelfAssessmentSetAdmin,
    SelfAssessmentQuestion: SelfAssessmentQuestionAdmin,
}
for model, model_admin in CONTENT.items():
    admin_site.register(model, model_admin)


@admin.register(Enrolment, site=admin_site)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["id", "person", "course", "enrolled_at", "enrolled_by"]
    search_fields = ["=person__crn", "=person__prison_number"]


@admin.register(LessonProgress, site=admin_site)
class LessonProgressAdmin(ReadOnlyAdmin):
    list_display = ["id", "person", "lesson", "score", "out_of", "attempts", "completed_at"]
    search_fields = ["=person__crn", "=person__prison_number"]


@admin.register(Certificate, site=admin_site)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["id", "person", "course", "issued_at"]
    exclude = ["code"]
    search_fields = ["=person__crn", "=person__prison_number"]


@admin.register(SelfAssessmentResult, site=admin_site)
class SelfAssessmentResultAdmin(ReadOnlyAdmin):
    list_display = ["id", "person", "assessment", "score", "max_score", "submitted_at"]
    search_fields = ["=person__crn", "=person__prison_number"]


def _studied(obj: Any) -> bool:
    if isinstance(obj, Course):
        return obj.enrolments.exists()
    if isinstance(obj, (Module, Lesson)):
        lessons = obj.lessons.all() if isinstance(obj, Module) else [obj]
        return LessonProgress.objects.filter(lesson__in=lessons).exists()
    if isinstance(obj, SelfAssessmentSet):
        return obj.results.exists()
    return False


def _audit(request: HttpRequest, action: AuditAction, obj: Any, form: Any) -> None:
    audit_record(
        actor=request.user,
        role=EDIT,
        action=action,
        target=obj,
        data={"fields": sorted(form.changed_data)} if form is not None else {},
    )
