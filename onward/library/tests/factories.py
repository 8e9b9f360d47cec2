"""Library items made through the services, so tests see what editors make."""

from typing import Any

import factory

from onward.library import services
from onward.library.models import Audience, Item, ItemKind, Topic


class TopicFactory(factory.django.DjangoModelFactory[Topic]):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")


def draft_for(
    title: str,
    *,
    body: str = "Some words.",
    audience: str = Audience.COMMUNITY,
    prisons: tuple[Any, ...] = (),
    welsh: services.TextIn | None = None,
    topics: tuple[Topic, ...] = (),
    kind: str = ItemKind.ARTICLE,
    summary: str = "",
) -> services.ItemDraft:
    texts = {"en-gb": services.TextIn(title=title, summary=summary, body=body)}
    if welsh is not None:
        texts["cy"] = welsh
    return services.ItemDraft(
        texts=texts,
        targeting=services.Targeting(audience=audience, all_prisons=not prisons, prisons=tuple(prisons)),
        kind=kind,
        topics=topics,
    )


def published_item(editor: Any, approver: Any | None, title: str, **kwargs: Any) -> Item:
    """An item written by `editor`, approved by `approver` where it needs it, and published."""
    item = services.item_create(actor=editor, draft=draft_for(title, **kwargs))
    if services._newest(item).needs_approval:
        assert approver is not None
        services.item_submit(actor=editor, item=item)
        services.item_approve(actor=approver, item=item)
    return services.item_publish(actor=editor, item=item)
