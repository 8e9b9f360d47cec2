"""Editors' Markdown (library items, lessons): GOV.UK classes, our tags only, HTML shown as text."""

from onward.core.markdown import body_html, plain_text

LESSON = "# Money\nFirst line\nsame paragraph\n\n- one\n- two\n\n1. first\n2. second\n\n## Small"


def test_headings_start_below_the_page_title_and_blocks_get_govuk_classes() -> None:
    html = str(body_html(LESSON))
    assert '<h2 class="govuk-heading-l">Money</h2>' in html
    assert '<p class="govuk-body">First line\nsame paragraph</p>' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert '<ol class="govuk-list govuk-list--number">' in html
    assert '<h3 class="govuk-heading-m">Small</h3>' in html
    assert "<h1" not in html


def test_html_an_editor_types_is_shown_as_text_never_run() -> None:
    html = str(
        body_html('# <img src=x onerror="alert(1)">\n\n<a href="javascript:x">link</a> [x](javascript:alert(1))')
    )
    assert "<img" not in html
    assert '<a href="javascript' not in html
    assert "&lt;img" in html


def test_plain_text_keeps_the_words_only() -> None:
    assert plain_text(LESSON) == "Money\nFirst line\nsame paragraph\none\ntwo\nfirst\nsecond\nSmall"
