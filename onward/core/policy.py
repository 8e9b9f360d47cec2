"""One definition of who reaches which rows, answering both "which of these" and "this one?".

A policy lists the *grants* an actor holds over one model. A grant is a `Q` (the rows it reaches) and
the role the actor acts in through it. Everything else is derived from that list, in the database:

- `scope(actor)`: every row any grant reaches (lists, counts, subqueries of other apps);
- `role_for(actor, obj)`: the first grant's role that reaches this row, or None when none does;
- `allows(actor, obj)`: whether any grant reaches it.

`role_for` asks the same scope for the one row, so a list and a single check cannot disagree. Answers
about single rows are kept on the actor object, which lives for one request (or one job), so a page
that asks several rules about one person makes one query. `remember` fills that store from rows a
selector has already loaded with `scope_with_role`, so a page can ask about them for free. A kept
answer is the stored row's when first asked, so the role an actor acted in stays the same for the
rest of their request; a row never saved is reached by no one.
"""

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from typing import Any, Generic, TypeVar

from django.db.models import Case, CharField, Expression, Model, Q, QuerySet, Subquery, Value, When

M = TypeVar("M", bound=Model)

# The annotation `scope_with_role` adds: the role each row is reached through.
ROLE_ANNOTATION = "policy_role"
_ANSWERS = "_onward_policy_answers"


@dataclass(frozen=True)
class Grant:
    """One way an actor reaches rows: those `where` selects, acting as `role`.

    `role` is a plain role name, or a function that builds an expression reading it from the row (for a
    role that comes from an assignment rather than from the staff member's job); it is built only when a
    role is asked for, so lists pay nothing for it.
    """

    where: Q
    role: str | Callable[[], Expression | Subquery]


class Policy(Generic[M]):
    """Subclasses set `model` and `name` and define `grants`; nothing else restates the scope."""

    model: type[M]
    name: str

    def grants(self, actor: Any) -> list[Grant]:
        """The grants this actor holds, most specific first (the first that matches names the role)."""
        raise NotImplementedError

    def scope(self, actor: Any) -> QuerySet[M]:
        return self._rows(self.grants(actor))

    def scope_with_role(self, actor: Any) -> QuerySet[M]:
        """The scope, each row annotated (`policy_role`) with the role it is reached through."""
        return self._rows_with_role(self.grants(actor))

    def role_for(self, actor: Any, obj: M) -> str | None:
        """The role through which this actor reaches this row; None when they do not reach it."""
        if obj.pk is None:
            return None
        kept = getattr(actor, "__dict__", {}).get(_ANSWERS, {}).get(self.name, {})
        if obj.pk in kept:
            return kept[obj.pk]
        grants = self.grants(actor)
        if not grants:
            return None  # nothing kept for actors who reach nothing (anonymous visitors, the system)
        found = list(self._rows_with_role(grants).filter(pk=obj.pk).values_list(ROLE_ANNOTATION, flat=True)[:1])
        role = str(found[0]) if found else None
        self._answers(actor)[obj.pk] = role
        return role

    def allows(self, actor: Any, obj: M) -> bool:
        return self.role_for(actor, obj) is not None

    def remember(self, actor: Any, rows: Iterable[M]) -> None:
        """Keep the answers for rows loaded through `scope_with_role`, so later checks need no query."""
        answers = self._answers(actor)
        for row in rows:
            answers[row.pk] = str(getattr(row, ROLE_ANNOTATION))

    def _rows(self, grants: list[Grant]) -> QuerySet[M]:
        if not grants:
            return self.model._default_manager.none()
        return self.model._default_manager.filter(reduce(operator.or_, (grant.where for grant in grants)))

    def _rows_with_role(self, grants: list[Grant]) -> QuerySet[M]:
        if not grants:
            return self.model._default_manager.none().annotate(**{ROLE_ANNOTATION: Value("", CharField())})
        role = Case(*(When(grant.where, then=_expression(grant.role)) for grant in grants), output_field=CharField())
        return self._rows(grants).annotate(**{ROLE_ANNOTATION: role})

    def _answers(self, actor: Any) -> dict[Any, str | None]:
        store: dict[str, dict[Any, str | None]] = actor.__dict__.setdefault(_ANSWERS, {})
        return store.setdefault(self.name, {})


def _expression(role: str | Callable[[], Expression | Subquery]) -> Expression | Subquery:
    return Value(role) if isinstance(role, str) else role()
