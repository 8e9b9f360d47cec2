"""Text editors write (library items, course lessons), in Markdown, as safe HTML in GOV.UK styles.

Editors never write HTML: Markdown's own HTML is turned off (it shows as text), and what the Markdown
makes goes through an allow-list sanitiser (nh3) that keeps only the tags, classes and link schemes
below. Headings start at level 2: the page's title is the only level 1 heading.
"""

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

ALLOWED_TAGS = {"h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "a", "blockquote", "br", "hr", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"https", "http", "mailto", "tel"}
TAG_CLASSES = {
    "h2": "govuk-heading-l",
    "h3": "govuk-heading-m",
    "h4": "govuk-heading-s",
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "blockquote": "govuk-inset-text",
}
HEADING_SHIFT = {"h1": "h2", "h2": "h3", "h3": "h4", "h4": "h4", "h5": "h4", "h6": "h4"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
    ["image", "html_block", "html_inline", "code", "fence"]
)


def body_html(markdown: str) -> Markup:
    """Markdown to sanitised HTML, safe to put in a page."""
    tokens = _markdown.parse(markdown or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = HEADING_SHIFT.get(token.tag, token.tag)
        if token.nesting == 1 and token.tag in TAG_CLASSES:
            token.attrSet("class", TAG_CLASSES[token.tag])
        for child in token.children or []:
            if child.type == "link_open":
                child.attrSet("class", TAG_CLASSES["a"])
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return Markup(sanitise(html))  # noqa: S704 - sanitised by the allow-list on the line above


def plain_text(markdown: str) -> str:
    """The words without the Markdown, a line per block (for the API's plain copy and for search)."""
    lines = []
    for token in _markdown.parse(markdown or ""):
        if token.type == "inline":
            lines.append("".join(_words(child) for child in token.children or []))
    return "\n".join(line for line in lines if line).strip()


def _words(token: Token) -> str:
    if token.type in ("softbreak", "hardbreak"):
        return "\n"
    return token.content if token.type in ("text", "code_inline") else ""


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes={tag: set(classes.split()) for tag, classes in TAG_CLASSES.items()},
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
