"""The second-person rule for content people in custody will see, shared by the library and learning.

Anything aimed at people in custody (custody only, or everyone) is published only once a second
editor has approved it, and nobody approves their own work. Community-only content goes out on one
editor's word. The library (items and their revisions) and learning (courses) both follow this rule;
neither defines its own.
"""

from typing import Any

# The audience values both apps use: "custody", "community" and "both".
CUSTODY = "custody"
COMMUNITY = "community"
BOTH = "both"
CUSTODY_AUDIENCES = frozenset({CUSTODY, BOTH})
COMMUNITY_AUDIENCES = frozenset({COMMUNITY, BOTH})


def needs_second_approval(audience: str) -> bool:
    """Whether content for this audience needs a second person's approval before it is published."""
    return str(audience) in CUSTODY_AUDIENCES


def may_approve(author_id: Any, approver_id: Any) -> bool:
    """A second person approves: never the author of what is approved."""
    return author_id != approver_id


def may_publish(audience: str, approved_by_id: Any) -> bool:
    """Community-only content on an editor's word; anything for custody only once approved."""
    return not needs_second_approval(audience) or approved_by_id is not None
