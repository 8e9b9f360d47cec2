"""The library pages: people read, search, save and rate; content editors write, preview and publish."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onward.accounts.actors import signed_in_user
from onward.core.markdown import body_html
from onward.core.permissions import can, permission
from onward.library import selectors, services
from onward.library.forms import WELSH, ItemForm, PublishForm, RateForm, ReasonForm, SearchForm
from onward.library.models import DEFAULT_LANGUAGE, Item, ItemKind, ItemState, Revision, Topic
from onward.library.rules import prisons_for_editor

# --- People -------------------------------------------------------------------------------------


@permission("library.read")
def home(request: HttpRequest) -> HttpResponse:
    person = selectors.library_person(request.user)
    language = _language()
    context = {
        "form": SearchForm(),
        "new_items": selectors.items_new(person, language),
        "topics": selectors.topics_for_person(person),
        "language": language,
    }
    return render(request, "library/home.html", context)


@permission("library.read")
def search(request: HttpRequest) -> HttpResponse:
    person = selectors.library_person(request.user)
    language = _language()
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    results = selectors.items_search(person, query, language) if query else []
    context = {"form": form, "query": query, "results": results, "language": language}
    return render(request, "library/search.html", context, status=400 if form.errors else 200)


@permission("library.read")
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    person = selectors.library_person(request.user)
    language = _language()
    found = get_object_or_404(Topic, slug=slug)
    context = {"topic": found, "items": selectors.items_in_topic(person, found, language), "language": language}
    return render(request, "library/topic.html", context)


@permission("library.read")
def saved(request: HttpRequest) -> HttpResponse:
    person = selectors.library_person(request.user)
    language = _language()
    return render(
        request, "library/saved.html", {"items": selectors.items_saved(person, language), "language": language}
    )


@permission("library.read")
def item(request: HttpRequest, item_id: int) -> HttpResponse:
    person = selectors.library_person(request.user)
    language = _language()
    view = selectors.item_for_person(person, item_id, language)
    rating = selectors.item_rating(person, view.item)
    context = {
        "view": view,
        "body": body_html(view.text.body),
        "language": language,
        "is_saved": selectors.item_is_saved(person, view.item),
        "rating": rating,
        "rate_form": RateForm(),
        "media_url": _media_url("library:media", view.item.pk, view.revision),
    }
    return render(request, "library/item.html", context)


@permission("library.read")
def media(request: HttpRequest, item_id: int) -> FileResponse:
    person = selectors.library_person(request.user)
    view = selectors.item_for_person(person, item_id, DEFAULT_LANGUAGE)
    return _file(view.revision)


@require_POST
@permission("library.read")
def item_save(request: HttpRequest, item_id: int) -> HttpResponse:
    person = selectors.library_person(request.user)
    view = selectors.item_for_person(person, item_id, DEFAULT_LANGUAGE)
    if request.POST.get("action") == "remove":
        services.item_unsave(actor=signed_in_user(request), item=view.item)
        messages.success(request, _("Removed from your saved items."))
    else:
        services.item_save(actor=signed_in_user(request), item=view.item)
        messages.success(request, _("Saved. You can find it in your saved items."))
    return redirect("library:item", item_id=view.item.pk)


@require_POST
@permission("library.read")
def item_rate(request: HttpRequest, item_id: int) -> HttpResponse:
    person = selectors.library_person(request.user)
    view = selectors.item_for_person(person, item_id, DEFAULT_LANGUAGE)
    form = RateForm(request.POST)
    if form.is_valid():
        services.item_rate(
            actor=signed_in_user(request),
            item=view.item,
            helped=form.cleaned_data["helped"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Thank you for telling us."))
    else:
        messages.error(request, _("Choose yes or no."))
    return redirect("library:item", item_id=view.item.pk)


# --- Editors ------------------------------------------------------------------------------------


@permission("library.edit")
def editor_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in ItemState.values else ""
    items = [(item, selectors.newest_revision(item)) for item in selectors.items_for_editor(request.user, state)]
    return render(request, "library/editor_list.html", {"items": items, "state": state, "states": ItemState.choices})


@permission("library.edit")
def editor_new(request: HttpRequest) -> HttpResponse:
    form = ItemForm(request.POST or None, request.FILES or None, prisons=prisons_for_editor(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.item_create(actor=signed_in_user(request), draft=_draft(form))
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("library:editor_detail", item_id=created.pk)
    context = {"form": form, "item": None}
    return render(request, "library/editor_form.html", context, status=400 if form.errors else 200)


@permission("library.edit")
def editor_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    found = selectors.item_for_editor(request.user, item_id)
    revision = selectors.newest_revision(found)
    form = ItemForm(
        request.POST or None,
        request.FILES or None,
        prisons=prisons_for_editor(request.user),
        initial=_initial(found, revision),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.item_edit(actor=signed_in_user(request), item=found, draft=_draft(form))
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            messages.success(request, _("Saved as a new draft."))
            return redirect("library:editor_detail", item_id=found.pk)
    context = {"form": form, "item": found}
    return render(request, "library/editor_form.html", context, status=400 if form.errors else 200)


@permission("library.edit")
def editor_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    found = selectors.item_for_editor(request.user, item_id)
    revisions = selectors.item_revisions(found)
    newest = revisions[0]
    context = {
        "item": found,
        "revisions": revisions,
        "newest": newest,
        "text": newest.text_in(DEFAULT_LANGUAGE),
        "may_approve": can(request.user, "library.approve", found),
        "may_publish": can(request.user, "library.publish", found),
        "publish_form": PublishForm(),
        "reason_form": ReasonForm(),
        "states": ItemState,
    }
    return render(request, "library/editor_detail.html", context)


@permission("library.edit")
def editor_preview(request: HttpRequest, item_id: int) -> HttpResponse:
    """The newest revision as a person will see it, in English or Welsh."""
    found = selectors.item_for_editor(request.user, item_id)
    revision = selectors.newest_revision(found)
    language = WELSH if request.GET.get("language") == WELSH else DEFAULT_LANGUAGE
    view = selectors.ItemView(item=found, revision=revision, text=revision.text_in(language))
    context = {
        "view": view,
        "body": body_html(view.text.body),
        "language": language,
        "preview": True,
        "media_url": _media_url("library:editor_media", found.pk, revision),
    }
    return render(request, "library/preview.html", context)


@permission("library.edit")
def editor_media(request: HttpRequest, item_id: int) -> FileResponse:
    found = selectors.item_for_editor(request.user, item_id)
    return _file(selectors.newest_revision(found))


@require_POST
@permission("library.edit")
def editor_action(request: HttpRequest, item_id: int, action: str) -> HttpResponse:
    found = selectors.item_for_editor(request.user, item_id)
    try:
        done = _act(request, found, action)
    except PermissionDenied:
        messages.error(request, _("You cannot do that to this item. Another editor must approve it."))
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        if done:
            messages.success(request, done)
    return redirect("library:editor_detail", item_id=found.pk)


def _act(request: HttpRequest, found: Item, action: str) -> str:
    actor = signed_in_user(request)
    if action == "submit":
        services.item_submit(actor=actor, item=found)
        return _("Sent for approval. Another editor must approve it.")
    if action == "approve":
        services.item_approve(actor=actor, item=found)
        return _("Approved. It can now be published.")
    if action == "publish":
        form = PublishForm(request.POST)
        if not form.is_valid():
            raise ValidationError([str(e) for errors in form.errors.values() for e in errors])
        at = form.cleaned_data["publish_at"] if form.cleaned_data["when"] == "later" else None
        published = services.item_publish(actor=actor, item=found, at=at)
        return _("Scheduled.") if published.state == ItemState.SCHEDULED else _("Published.")
    if action in ("return", "withdraw"):
        reason_form = ReasonForm(request.POST)
        if not reason_form.is_valid():
            raise ValidationError(_("Say why."))
        reason = reason_form.cleaned_data["reason"]
        if action == "return":
            services.item_return(actor=actor, item=found, reason=reason)
            return _("Sent back to draft.")
        services.item_withdraw(actor=actor, item=found, reason=reason)
        return _("Withdrawn. People can no longer see it.")
    raise Http404


# --- Helpers ------------------------------------------------------------------------------------


def _language() -> str:
    return WELSH if get_language() == WELSH else DEFAULT_LANGUAGE


def _media_url(name: str, item_id: int, revision: Revision) -> str:
    from django.urls import reverse

    return reverse(name, args=[item_id]) if revision.media else ""


def _file(revision: Revision) -> FileResponse:
    if not revision.media:
        raise Http404
    response = FileResponse(revision.media.open("rb"), content_type=revision.media_type or "application/octet-stream")
    if revision.media_type == "application/pdf":
        response["Content-Disposition"] = "attachment; filename=document.pdf"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _draft(form: ItemForm) -> services.ItemDraft:
    data = form.cleaned_data
    texts = {
        DEFAULT_LANGUAGE: services.TextIn(data["title"], data["summary"], data["body"], data["transcript"]),
    }
    if data["title_cy"].strip():
        texts[WELSH] = services.TextIn(data["title_cy"], data["summary_cy"], data["body_cy"], data["transcript_cy"])
    all_prisons = data["where"] == "all" or data["audience"] == "community"
    return services.ItemDraft(
        texts=texts,
        targeting=services.Targeting(
            audience=data["audience"],
            all_prisons=all_prisons,
            prisons=() if all_prisons else tuple(data["prisons"]),
        ),
        kind=data["kind"],
        topics=tuple(data["topics"]),
        series=data["series"],
        series_position=data["series_position"] or 0,
        media=data.get("upload"),
    )


def _initial(found: Item, revision: Revision) -> dict[str, Any]:
    english = revision.text_in(DEFAULT_LANGUAGE)
    welsh = revision.text_in(WELSH)
    has_welsh = welsh.language == WELSH
    return {
        "kind": found.kind or ItemKind.ARTICLE,
        "title": english.title,
        "summary": english.summary,
        "body": english.body,
        "transcript": english.transcript,
        "title_cy": welsh.title if has_welsh else "",
        "summary_cy": welsh.summary if has_welsh else "",
        "body_cy": welsh.body if has_welsh else "",
        "transcript_cy": welsh.transcript if has_welsh else "",
        "topics": list(found.topics.all()),
        "series": found.series,
        "series_position": found.series_position,
        "audience": revision.audience,
        "where": "all" if revision.all_prisons else "chosen",
        "prisons": list(revision.prisons.all()),
    }
