"""Hide what would let a reader act as the person a message went to: sign-in codes, activation codes, links.

Logs and admin pages of sent messages show *that* a code or link was sent and how delivery went, never the
code or link itself (someone who can read the log could otherwise sign in as the person).
"""

import re

LINK = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
# Six or more digits in a row (sign-in and contact codes are six), or a word of capitals and digits with at
# least one digit (activation codes, tokens). Dates and times ("5 Dec 2026, 10:30") have fewer digits in a row.
CODE = re.compile(r"\b\d{6,}\b|\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]{5,}\b")
LINK_HIDDEN = "[link hidden]"
CODE_HIDDEN = "[code hidden]"


def secrets_masked(text: str) -> str:
    """`text` with every link and code-like word replaced by a marker saying one was there."""
    return CODE.sub(CODE_HIDDEN, LINK.sub(LINK_HIDDEN, text))
