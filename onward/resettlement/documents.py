"""A person's documents (ID, licence, CV, certificates, letters): upload, remove, open to download.

Uploads are checked by content through the one upload check (onward/core/uploads.py): JPEG, PNG or PDF,
up to RESETTLEMENT_DOCUMENT_MAX_BYTES; anything else is refused in plain words and nothing is saved.
Files go to the private storage (no URL of their own) and out only through `document_open`, which
checks the policy and audits every read. Staff who change a plan and the person themselves upload;
the person removes only what they uploaded. Documents belong to the person: release and transfer
leave them where they are.
"""

import hashlib
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onward.accounts.actors import PersonUser, StaffUser
from onward.audit.services import audit_record
from onward.core.actors import UserKind
from onward.core.audit_actions import AuditAction
from onward.core.permissions import can, require
from onward.core.uploads import upload_prepare
from onward.people.models import Person
from onward.people.rules import acting_role
from onward.resettlement.models import Application, Document, DocumentKind, PlanEvent, PlanEventKind

TITLE_MAX_CHARS = 120


def document_upload(
    *,
    actor: StaffUser | PersonUser,
    person: Person,
    upload: UploadedFile,
    kind: str,
    title: str = "",
    application: Application | None = None,
) -> Document:
    """Check the file by its content and keep it for the person. Raises ValidationError in plain words."""
    _require_own_or_manage(actor, person)
    if kind not in DocumentKind.values:
        raise ValidationError(_("Choose what kind of document this is."))
    if application is not None and application.person_id != person.pk:
        raise ValidationError("The application is not this person's.")
    title = " ".join(title.split())[:TITLE_MAX_CHARS] or str(DocumentKind(kind).label)
    prepared = upload_prepare(upload, max_bytes=settings.RESETTLEMENT_DOCUMENT_MAX_BYTES)
    now = timezone.now()
    document = Document(
        person=person,
        kind=kind,
        title=title,
        content_type=prepared.content_type,
        size_bytes=len(prepared.content),
        sha256=hashlib.sha256(prepared.content).hexdigest(),
        application=application,
        uploaded_by=actor,
        uploaded_at=now,
    )
    # The stored name says nothing about the person or the upload's own name.
    document.file.save(f"document.{prepared.extension}", ContentFile(prepared.content), save=False)
    try:
        with transaction.atomic():
            document.save()
            PlanEvent.objects.create(
                person=person,
                kind=PlanEventKind.DOCUMENT_ADDED,
                need_id=application.need_id if application else None,
                actor=actor,
                at=now,
                data={"document": document.pk, "kind": kind, "title": title},
            )
            audit_record(
                actor=actor,
                role=acting_role(actor, person),
                action=AuditAction.DOCUMENT_UPLOADED,
                person=person,
                target=document,
                data={"kind": kind, "content_type": prepared.content_type, "size_bytes": document.size_bytes},
            )
    except BaseException:
        document.file.delete(save=False)  # nothing is left behind when the record is not written
        raise
    return document


def document_remove(*, actor: StaffUser | PersonUser, document: Document) -> Document:
    """Take a document out of the person's list. The file goes by the retention rule, after a while."""
    _require_own_or_manage(actor, document.person)
    if getattr(actor, "kind", None) == UserKind.PERSON and document.uploaded_by_id != actor.pk:
        raise ValidationError(_("You can only remove documents you added yourself."))
    with transaction.atomic():
        locked = Document.objects.select_for_update().select_related("person").get(pk=document.pk)
        if locked.removed_at is not None:
            return locked
        now = timezone.now()
        locked.removed_at, locked.removed_by = now, actor
        locked.save(update_fields=["removed_at", "removed_by"])
        PlanEvent.objects.create(
            person=locked.person,
            kind=PlanEventKind.DOCUMENT_REMOVED,
            actor=actor,
            at=now,
            data={"document": locked.pk, "kind": locked.kind, "title": locked.title},
        )
        audit_record(
            actor=actor,
            role=acting_role(actor, locked.person),
            action=AuditAction.DOCUMENT_REMOVED,
            person=locked.person,
            target=locked,
            data={"kind": locked.kind},
        )
    return locked


def document_get(user: Any, document_id: int) -> Document:
    """One document the user may see (theirs, or a person they reach); Document.DoesNotExist otherwise."""
    document = Document.objects.select_related("person").get(pk=document_id, removed_at__isnull=True)
    if not (can(user, "resettlement.self", document) or can(user, "resettlement.documents", document.person)):
        raise Document.DoesNotExist
    return document


def document_open(user: Any, document: Document) -> IO[bytes]:
    """The document's file to send, after the policy says yes; every read is audited."""
    if getattr(user, "kind", None) == UserKind.PERSON:
        require(user, "resettlement.self", document)
    else:
        require(user, "resettlement.documents", document.person)
    audit_record(
        actor=user,
        role=acting_role(user, document.person),
        action=AuditAction.DOCUMENT_DOWNLOADED,
        person=document.person,
        target=document,
        data={"kind": document.kind},
    )
    return document.file.open("rb")


def documents_for(user: Any, person: Person) -> list[Document]:
    """The person's documents still kept, newest first: for the person, or staff who may see their papers."""
    if not (can(user, "resettlement.self", person) or can(user, "resettlement.documents", person)):
        raise PermissionDenied("resettlement.documents")
    return list(Document.objects.filter(person=person, removed_at__isnull=True).select_related("uploaded_by"))


def _require_own_or_manage(actor: Any, person: Person) -> None:
    if getattr(actor, "kind", None) == UserKind.PERSON:
        require(actor, "resettlement.self", person)
    else:
        require(actor, "resettlement.manage", person)
