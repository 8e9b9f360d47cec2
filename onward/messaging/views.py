"""Pages for messages: a person's inbox and conversations, staff conversations, the security review
queue, contact approval, announcements, and the page an approved contact opens from their link."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onward.accounts.actors import signed_in_user
from onward.core.audit_actions import AuditAction
from onward.core.permissions import can, permission
from onward.messaging.attachments import PreparedAttachment, attachment_prepare
from onward.messaging.forms import (
    BroadcastForm,
    ContactForm,
    ContactReplyForm,
    ContactStatusForm,
    FlagReviewForm,
    MessageForm,
    PolicyForm,
    ReviewForm,
    ScreeningTryForm,
    TermForm,
    TermRemoveForm,
    TermUploadForm,
    WordListForm,
)
from onward.messaging.models import ConversationKind, MessageState, TermKind, WordList
from onward.messaging.rules import contacts_managed_by
from onward.messaging.screening import DIRECTION_CONTROL_KIND, DIRECTION_CONTROL_LABEL, PATTERN_LABELS, canonical_form
from onward.messaging.selectors import (
    announcements_for,
    attachment_get,
    contact_conversation_messages,
    conversation_for_draft,
    conversation_get,
    conversation_messages,
    conversations_for,
    draft_for,
    draft_for_contact,
    last_sent_id,
    review_message_get,
    review_queue,
    staff_conversation_id,
    units_needing_word_list,
    word_list_get,
    word_list_terms,
    word_lists_for,
)
from onward.messaging.services import (
    broadcast_mark_read,
    broadcast_send,
    contact_approve,
    contact_bar,
    contact_link_resolve,
    contact_reinstate,
    contact_suspend,
    conversation_for_person,
    draft_save,
    draft_save_by_contact,
    message_block,
    message_flag_clear,
    message_release,
    message_send,
    message_send_by_contact,
    messages_mark_read,
    screening_try,
    term_add,
    term_remove,
    terms_upload,
    word_list_create,
    word_list_policy_set,
)
from onward.organisations.models import OrgUnit, UnitKind
from onward.organisations.roles import staff_roles
from onward.organisations.selectors import units_under
from onward.people.models import Person
from onward.people.rules import people_visible_to
from onward.people.selectors import person_get

CONTACT_LINK_ACTION = "messaging.contact_link"


def contact_link_permission(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The contact's page: no account, the link's token is the credential (checked in the view, every time)."""
    view.onward_permission = CONTACT_LINK_ACTION  # type: ignore[attr-defined]
    return view


# --- A person's pages ---------------------------------------------------------------------------


@permission("person.self")
def inbox(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    person = Person.objects.select_related("unit").get(pk=user.person_id)
    context = {
        "entries": conversations_for(user),
        # Their staff conversation is always there to write in; it is stored when they first write.
        "staff_started": staff_conversation_id(user, person) is not None,
        "announcements": announcements_for(user)[:20],
    }
    return render(request, "messaging/inbox.html", context)


@permission("person.self")
def staff_conversation_start(request: HttpRequest) -> HttpResponse:
    """Writing to their staff for the first time: the conversation is started by the first message, never by
    opening this page."""
    user: Any = request.user
    person = Person.objects.select_related("unit").get(pk=user.person_id)
    started = staff_conversation_id(user, person)
    if started is not None:
        return redirect("messaging:conversation", conversation_id=started)
    draft = _draft_context(f"{user.pk}-staff", reverse("messaging:staff_conversation_start_draft"), 0)
    return _first_message(request, person, "messaging/conversation_start.html", "messaging:conversation", draft)


@permission("person.self")
@require_POST
def staff_conversation_start_draft(request: HttpRequest) -> JsonResponse:
    """The start page's script keeps what the person types: the first draft with words in it starts the
    conversation (a POST), as sending would."""
    user: Any = request.user
    if not request.POST.get("body", "").strip():
        return JsonResponse({"saved": False, "updated_at": None})
    person = Person.objects.select_related("unit").get(pk=user.person_id)
    found = conversation_for_person(actor=signed_in_user(request), person=person)
    return _draft_answer(
        request,
        lambda body: draft_save(actor=signed_in_user(request), conversation=found, body=body),
        last_sent_id(found, user=user),
    )


@permission("person.self")
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    return _conversation_page(request, conversation_id, "messaging/conversation.html")


@permission("person.self")
@require_POST
def conversation_draft(request: HttpRequest, conversation_id: int) -> JsonResponse:
    """The page's script keeps what the person is typing here (see onward/static/onward/drafts.js)."""
    found = conversation_for_draft(request.user, conversation_id)
    return _draft_answer(
        request,
        lambda body: draft_save(actor=signed_in_user(request), conversation=found, body=body),
        last_sent_id(found, user=request.user),
    )


@permission("person.self")
def announcement(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = get_object_or_404(announcements_for(request.user), pk=delivery_id)
    broadcast_mark_read(actor=signed_in_user(request), delivery=delivery)
    return render(request, "messaging/announcement.html", {"delivery": delivery})


@permission("conversation.view")
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    found = attachment_get(request.user, attachment_id)
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="{found.name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Staff pages --------------------------------------------------------------------------------


@permission("messaging.staff_inbox")
def staff_inbox(request: HttpRequest) -> HttpResponse:
    reference = request.GET.get("person", "").strip().upper().replace(" ", "")[:20]
    not_found = False
    if reference:
        found = people_visible_to(request.user).filter(Q(prison_number=reference) | Q(crn=reference)).first()
        if found is not None:
            return redirect("messaging:staff_person", person_id=found.pk)
        not_found = True
    entries = conversations_for(request.user, kind=ConversationKind.STAFF)
    context = {"entries": entries, "reference": reference, "not_found": not_found}
    return render(request, "messaging/staff_inbox.html", context)


@permission("messaging.staff_inbox")
def staff_person_conversation(request: HttpRequest, person_id: int) -> HttpResponse:
    """The person's conversation with their staff; with none yet, a form whose first message starts it (a GET
    only reads: it never stores a conversation)."""
    person = person_get(request.user, person_id, purpose=AuditAction.PERSON_VIEW_FOR_MESSAGES)
    started = staff_conversation_id(request.user, person)
    if started is not None:
        return redirect("messaging:staff_conversation", conversation_id=started)
    return _first_message(request, person, "messaging/staff_conversation_start.html", "messaging:staff_conversation")


def _first_message(
    request: HttpRequest, person: Any, template: str, conversation_url: str, draft: dict[str, Any] | None = None
) -> HttpResponse:
    """The page before a conversation exists. Sending (or saving a draft) starts it; looking does not."""
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        actor = signed_in_user(request)
        if request.POST.get("action") == "save_draft":
            if request.POST.get("body", "").strip():
                found = conversation_for_person(actor=actor, person=person)
                try:
                    draft_save(actor=actor, conversation=found, body=request.POST.get("body", ""))
                except ValidationError as error:
                    form.add_error("body", error)
                else:
                    messages.success(request, _("Your draft is saved. Only you can see it."))
                    return redirect(conversation_url, conversation_id=found.pk)
            else:
                form.add_error("body", _("Write your message."))
        elif form.is_valid():
            try:
                prepared = [attachment_prepare(upload) for upload in request.FILES.getlist("attachments")]
                found = conversation_for_person(actor=actor, person=person)
                message_send(
                    actor=actor,
                    conversation=found,
                    body=form.cleaned_data["body"],
                    attachments=prepared,
                    client_key=request.POST.get("client_key", ""),
                )
            except ValidationError as error:
                form.add_error("body", error)
            else:
                messages.success(request, _("Your message has been sent."))
                return redirect(conversation_url, conversation_id=found.pk)
    context = {"person": person, "form": form, "client_key": get_random_string(32), "draft": draft}
    return render(request, template, context, status=400 if form.errors else 200)


@permission("conversation.view")
def staff_conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    if getattr(request.user, "kind", None) != "staff":
        raise PermissionDenied("conversation.view")
    return _conversation_page(request, conversation_id, "messaging/staff_conversation.html")


@permission("conversation.view")
@require_POST
def staff_conversation_draft(request: HttpRequest, conversation_id: int) -> JsonResponse:
    if getattr(request.user, "kind", None) != "staff":
        raise PermissionDenied("conversation.view")
    found = conversation_for_draft(request.user, conversation_id)
    return _draft_answer(
        request,
        lambda body: draft_save(actor=signed_in_user(request), conversation=found, body=body),
        last_sent_id(found, user=request.user),
    )


@permission("conversation.view")
@require_POST
def flag_review(request: HttpRequest, conversation_id: int, message_id: int) -> HttpResponse:
    found = conversation_get(request.user, conversation_id, purpose=AuditAction.CONVERSATION_VIEW_FOR_FLAG)
    message = get_object_or_404(found.messages.all(), pk=message_id)
    form = FlagReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        message_flag_clear(actor=signed_in_user(request), message=message, note=note)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The message is marked as reviewed."))
    return redirect("messaging:staff_conversation", conversation_id=found.pk)


@permission("messaging.review")
def review_list(request: HttpRequest) -> HttpResponse:
    return render(request, "messaging/review_queue.html", {"queue": review_queue(request.user)[:200]})


@permission("messaging.review")
def review_message(request: HttpRequest, message_id: int) -> HttpResponse:
    message = review_message_get(request.user, message_id)
    held = message.state == MessageState.HELD
    form: Any = (ReviewForm if held else FlagReviewForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if not held:
                message_flag_clear(actor=signed_in_user(request), message=message, note=data["note"])
                messages.success(request, _("The message is marked as reviewed."))
            elif data["decision"] == "block":
                message_block(actor=signed_in_user(request), message=message, reason=data["reason"])
                messages.success(request, _("The message was not delivered. The sender will see your reason."))
            else:
                message_release(actor=signed_in_user(request), message=message, note=data["note"])
                messages.success(request, _("The message was released and delivered."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("messaging:review_list")
    return render(
        request,
        "messaging/review_message.html",
        {
            "message": message,
            "form": form,
            "held": held,
            "screened_as": canonical_form(message.body).words,
            "hidden_direction": any(m.get("kind") == DIRECTION_CONTROL_KIND for m in message.matched_terms),
            "labels": _match_labels(message.matched_terms),
        },
        status=400 if form.errors else 200,
    )


@permission("contact.manage")
def contact_list(request: HttpRequest) -> HttpResponse:
    contacts = contacts_managed_by(request.user).select_related("person").order_by("person__last_name", "name")
    return render(request, "messaging/contacts.html", {"contacts": contacts[:500]})


@permission("contact.manage")
def contact_add(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = Person.objects.filter(prison_number=data["prison_number"].strip().upper()).first()
        if person is None or not can(request.user, "contact.manage", person):
            form.add_error("prison_number", _("No one in your prison has that prison number."))
        else:
            try:
                contact_approve(
                    actor=signed_in_user(request),
                    person=person,
                    name=data["name"],
                    relationship=data["relationship"],
                    email=data["email"],
                    phone=data["phone"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(name)s is approved as a contact.") % {"name": data["name"]})
                return redirect("messaging:contact_list")
    return render(request, "messaging/contact_add.html", {"form": form}, status=400 if form.errors else 200)


@permission("contact.manage")
def contact_status(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = get_object_or_404(contacts_managed_by(request.user).select_related("person"), pk=contact_id)
    form = ContactStatusForm(request.POST or None, initial={"status": contact.status})
    if request.method == "POST" and form.is_valid():
        change = {"approved": contact_reinstate, "suspended": contact_suspend, "barred": contact_bar}
        change[form.cleaned_data["status"]](
            actor=signed_in_user(request), contact=contact, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The contact's status is changed."))
        return redirect("messaging:contact_list")
    return render(
        request, "messaging/contact_status.html", {"contact": contact, "form": form}, status=400 if form.errors else 200
    )


@permission("broadcast.send")
def broadcast_new(request: HttpRequest) -> HttpResponse:
    units = _broadcast_units(request.user)
    form = BroadcastForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next((u for u in units if u.pk == data["unit"]), None)
        try:
            sent = broadcast_send(
                actor=signed_in_user(request),
                audience=data["audience"],
                unit=unit,
                title=data["title"],
                body=data["body"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            form.add_error("unit", _("You cannot send announcements there."))
        else:
            messages.success(
                request, _("Your announcement was sent to %(count)s people.") % {"count": sent.recipient_count}
            )
            return redirect("messaging:broadcast_new")
    return render(request, "messaging/broadcast_new.html", {"form": form}, status=400 if form.errors else 200)


# --- Word lists (security for a prison, senior practitioners for a delivery unit's risk words) ----

TERMS_PAGE_SIZE = 50


@permission("wordlist.manage")
def word_list_index(request: HttpRequest) -> HttpResponse:
    context = {
        "word_lists": list(word_lists_for(request.user)),
        "may_create": units_needing_word_list(request.user).exists(),
    }
    return render(request, "messaging/word_lists.html", context)


@permission("wordlist.manage")
def word_list_new(request: HttpRequest) -> HttpResponse:
    units = list(units_needing_word_list(request.user))
    form = WordListForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        unit = next(u for u in units if u.pk == form.cleaned_data["unit"])
        try:
            created = word_list_create(actor=signed_in_user(request), unit=unit, policy=form.cleaned_data["policy"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The word list for %(unit)s is ready.") % {"unit": unit.name})
            return redirect("messaging:word_list", word_list_id=created.pk)
    return render(
        request, "messaging/word_list_new.html", {"form": form, "units": units}, status=400 if form.errors else 200
    )


@permission("wordlist.manage")
def word_list_detail(request: HttpRequest, word_list_id: int) -> HttpResponse:
    word_list = word_list_get(request.user, word_list_id)
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(word_list_terms(word_list, search=search), TERMS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "word_list": word_list,
        "page": page,
        "search": search,
        "pattern_labels": PATTERN_LABELS,
        "query": f"q={search}" if search else "",
    }
    return render(request, "messaging/word_list.html", context)


@permission("wordlist.manage")
def word_list_policy(request: HttpRequest, word_list_id: int) -> HttpResponse:
    word_list = word_list_get(request.user, word_list_id)
    form = PolicyForm(request.POST or None, initial={"policy": word_list.policy})
    if request.method == "POST" and form.is_valid():
        try:
            word_list_policy_set(
                actor=signed_in_user(request),
                word_list=word_list,
                policy=form.cleaned_data["policy"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The policy is changed."))
            return redirect("messaging:word_list", word_list_id=word_list.pk)
    return render(
        request,
        "messaging/word_list_policy.html",
        {"word_list": word_list, "form": form},
        status=400 if form.errors else 200,
    )


@permission("wordlist.manage")
def word_list_try(request: HttpRequest, word_list_id: int) -> HttpResponse:
    """Try a message against the list: held or not, which terms matched, the form it was screened in."""
    word_list = word_list_get(request.user, word_list_id)
    form = ScreeningTryForm(request.POST or None)
    trial = None
    if request.method == "POST" and form.is_valid():
        try:
            trial = screening_try(actor=signed_in_user(request), word_list=word_list, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error("text", error)
    return render(
        request,
        "messaging/word_list_try.html",
        {
            "word_list": word_list,
            "form": form,
            "trial": trial,
            "labels": _match_labels(trial.matched if trial else []),
        },
        status=400 if form.errors else 200,
    )


@permission("wordlist.manage")
def term_new(request: HttpRequest, word_list_id: int) -> HttpResponse:
    word_list = word_list_get(request.user, word_list_id)
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        text = data["pattern"] if data["kind"] == TermKind.PATTERN else data["text"]
        try:
            term = term_add(
                actor=signed_in_user(request),
                word_list=word_list,
                kind=data["kind"],
                text=text,
                category=data["category"],
            )
        except ValidationError as error:
            form.add_error("pattern" if data["kind"] == TermKind.PATTERN else "text", error)
        else:
            label = PATTERN_LABELS.get(term.text, term.text) if term.kind == TermKind.PATTERN else term.text
            messages.success(request, _("“%(term)s” is added to the list.") % {"term": label})
            return redirect("messaging:term_new", word_list_id=word_list.pk)
    return render(
        request, "messaging/term_new.html", {"word_list": word_list, "form": form}, status=400 if form.errors else 200
    )


@permission("wordlist.manage")
def term_upload(request: HttpRequest, word_list_id: int) -> HttpResponse:
    word_list = word_list_get(request.user, word_list_id)
    form = TermUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.MESSAGING_WORD_LIST_UPLOAD_MAX_BYTES:
            form.add_error(
                "file",
                _("The file must be %(size)s KB or smaller.")
                % {"size": settings.MESSAGING_WORD_LIST_UPLOAD_MAX_BYTES // 1024},
            )
        else:
            try:
                result = terms_upload(actor=signed_in_user(request), word_list=word_list, content=upload.read())
            except ValidationError as error:
                for text in error.messages:
                    form.add_error("file", text)
            else:
                messages.success(
                    request,
                    _("%(added)s terms added. %(duplicates)s were already on the list or in the file twice.")
                    % {"added": result.added, "duplicates": result.duplicates},
                )
                return redirect("messaging:word_list", word_list_id=word_list.pk)
    return render(
        request,
        "messaging/term_upload.html",
        {"word_list": word_list, "form": form},
        status=400 if form.errors else 200,
    )


@permission("wordlist.manage")
def term_delete(request: HttpRequest, word_list_id: int, term_id: int) -> HttpResponse:
    word_list = word_list_get(request.user, word_list_id)
    term = get_object_or_404(word_list.terms.all(), pk=term_id)
    form = TermRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            term_remove(actor=signed_in_user(request), term=term, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("It is removed from the list."))
            return redirect("messaging:word_list", word_list_id=word_list.pk)
    label = PATTERN_LABELS.get(term.text, term.text) if term.kind == TermKind.PATTERN else term.text
    return render(
        request,
        "messaging/term_remove.html",
        {"word_list": word_list, "term": term, "label": label, "form": form},
        status=400 if form.errors else 200,
    )


# --- An approved contact's page -----------------------------------------------------------------


@contact_link_permission
def contact_reply(request: HttpRequest, token: str) -> HttpResponse:
    link = contact_link_resolve(token)
    if link is None or not link.contact.may_write:
        return render(request, "messaging/contact_link_invalid.html", status=404)
    draft = draft_for_contact(link)
    form = ContactReplyForm(request.POST or None, initial={"body": draft.body if draft else ""})
    if request.method == "POST" and request.POST.get("action") == "save_draft":
        try:
            draft_save_by_contact(link=link, body=request.POST.get("body", ""))
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, _("Your draft is saved. Only you can see it."))
            return redirect("messaging:contact_reply", token=token)
    elif request.method == "POST" and form.is_valid():
        try:
            message_send_by_contact(
                link=link, body=form.cleaned_data["body"], client_key=request.POST.get("client_key", "")
            )
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect("messaging:contact_reply", token=token)
    context = {
        "link": link,
        "person": link.conversation.person,
        "items": contact_conversation_messages(link),
        "form": form,
        "draft": _draft_context(
            f"contact-{link.contact_id}-{link.conversation_id}",
            reverse("messaging:contact_reply_draft", args=[token]),
            last_sent_id(link.conversation, link=link),
        ),
    }
    response = render(request, "messaging/contact_reply.html", context, status=400 if form.errors else 200)
    response["Referrer-Policy"] = "no-referrer"  # the token is in the address
    return response


@contact_link_permission
@require_POST
def contact_reply_draft(request: HttpRequest, token: str) -> JsonResponse:
    link = contact_link_resolve(token)
    if link is None or not link.contact.may_write:
        return JsonResponse({"errors": [_("This link has expired.")]}, status=404)
    return _draft_answer(
        request, lambda body: draft_save_by_contact(link=link, body=body), last_sent_id(link.conversation, link=link)
    )


# --- helpers ------------------------------------------------------------------------------------


def _draft_answer(request: HttpRequest, save: Callable[[str], Any], sent_id: int) -> JsonResponse:
    """Save a draft for the page's script. A page that has not seen the author's latest send is stale:
    its save (racing the send) must not bring the sent text back as a draft."""
    if request.POST.get("base", str(sent_id)) != str(sent_id):
        return JsonResponse({"saved": False, "stale": True}, status=409)
    try:
        draft = save(request.POST.get("body", ""))
    except ValidationError as error:
        return JsonResponse({"saved": False, "errors": error.messages}, status=400)
    return JsonResponse({"saved": draft is not None, "updated_at": draft.updated_at.isoformat() if draft else None})


def _draft_context(scope: str, url: str, base: int) -> dict[str, Any]:
    """What the compose form needs to keep a draft: where to save it, the device copy's key, a send key."""
    return {"storage_key": f"onward-draft:{scope}", "url": url, "base": base, "client_key": get_random_string(32)}


def _conversation_page(request: HttpRequest, conversation_id: int, template: str) -> HttpResponse:
    user: Any = request.user
    found = conversation_get(user, conversation_id)
    may_write = can(user, "conversation.write", found)
    draft = draft_for(user, found) if may_write else None
    form = MessageForm(request.POST or None, initial={"body": draft.body if draft else ""})
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied("conversation.write")
        if request.POST.get("action") == "save_draft":
            try:
                draft_save(actor=user, conversation=found, body=request.POST.get("body", ""))
            except ValidationError as error:
                form.add_error("body", error)
            else:
                messages.success(request, _("Your draft is saved. Only you can see it."))
                return redirect(request.path)
        elif form.is_valid():
            try:
                prepared: list[PreparedAttachment] = [
                    attachment_prepare(upload) for upload in request.FILES.getlist("attachments")
                ]
                message_send(
                    actor=user,
                    conversation=found,
                    body=form.cleaned_data["body"],
                    attachments=prepared,
                    client_key=request.POST.get("client_key", ""),
                )
            except ValidationError as error:
                form.add_error("body", error)
            else:
                messages.success(request, _("Your message has been sent."))
                return redirect(request.path)
    search = request.GET.get("q", "")
    items = conversation_messages(user, found, search=search)
    messages_mark_read(actor=user, conversation=found, messages=items)
    word_list = WordList.objects.filter(Q(unit=found.person.unit) | Q(unit_id=found.person.unit.parent_id)).first()
    context = {
        "conversation": found,
        "person": found.person,
        "items": items,
        "form": form,
        "may_write": may_write,
        "search": search,
        "show_receipts": user.kind == "staff" or word_list is None or word_list.show_read_receipts_to_people,
        "in_custody": found.person.in_custody,
        "draft": _draft_context(
            f"{user.pk}-{found.pk}",
            reverse(
                "messaging:conversation_draft" if user.kind == "person" else "messaging:staff_conversation_draft",
                args=[found.pk],
            ),
            last_sent_id(found, user=user),
        ),
    }
    return render(request, template, context, status=400 if form.errors else 200)


def _match_labels(matched: Any) -> list[str]:
    """What matched, in words: a term as it is on the list, a pattern by its name, hidden direction characters."""
    labels = []
    for match in matched:
        term, kind = (match["term"], match["kind"]) if isinstance(match, dict) else (match.term, match.kind)
        if kind == DIRECTION_CONTROL_KIND:
            labels.append(str(DIRECTION_CONTROL_LABEL))
        elif kind == TermKind.PATTERN:
            labels.append(str(PATTERN_LABELS.get(term, term)))
        else:
            labels.append(term)
    return labels


def _broadcast_units(user: Any) -> list[OrgUnit]:
    kinds = (UnitKind.WING, UnitKind.PRISON, UnitKind.PDU)
    return list(units_under([r.unit.path for r in staff_roles(user)], kinds).order_by("path"))
