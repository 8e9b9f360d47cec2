"""Lesson text in a small, safe markup, rendered by our code (editors never write HTML).

    ## A heading          -> <h2>
    ### A smaller heading -> <h3>
    - an item             -> a bulleted list
    1. an item            -> a numbered list
    a blank line          -> a new paragraph

Every piece of text is escaped; the only tags are the ones made here.
"""

import re

from markupsafe import Markup, escape

_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+")


def markup_render(text: str) -> Markup:
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""

    def close_paragraph() -> None:
        if paragraph:
            blocks.append(f'<p class="govuk-body-l">{escape(" ".join(paragraph))}</p>')
            paragraph.clear()

    def close_list() -> None:
        nonlocal list_tag
        if items:
            css = "govuk-list--bullet" if list_tag == "ul" else "govuk-list--number"
            inner = "".join(f"<li>{escape(item)}</li>" for item in items)
            blocks.append(f'<{list_tag} class="govuk-list {css} onward-lesson-list">{inner}</{list_tag}>')
            items.clear()
        list_tag = ""

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            close_paragraph()
            close_list()
        elif line.startswith("### ") or line.startswith("## "):
            close_paragraph()
            close_list()
            level, words = ("h3", line[4:]) if line.startswith("### ") else ("h2", line[3:])
            css = "govuk-heading-s" if level == "h3" else "govuk-heading-m"
            blocks.append(f'<{level} class="{css}">{escape(words.strip())}</{level}>')
        elif line.startswith(("- ", "* ")) or _NUMBERED.match(line):
            close_paragraph()
            tag = "ul" if line.startswith(("- ", "* ")) else "ol"
            if list_tag and tag != list_tag:
                close_list()
            list_tag = tag
            items.append(line[2:].strip() if tag == "ul" else _NUMBERED.sub("", line, count=1))
        else:
            close_list()
            paragraph.append(line)
    close_paragraph()
    close_list()
    return Markup("\n".join(blocks))  # noqa: S704 - built from escaped text and our own tags only


def markup_plain(text: str) -> str:
    """The text without its markup, for the API's plain copy and for search."""
    lines = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        for prefix in ("### ", "## ", "- ", "* "):
            if line.startswith(prefix):
                line = line[len(prefix) :]
                break
        lines.append(line)
    return "\n".join(lines).strip()
