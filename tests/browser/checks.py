"""What every page a browser journey visits must pass, and screenshots for a person to look at.

`page_check`: both stylesheets loaded and applied, GOV.UK Frontend's script started, no script or
content-security-policy error, no failed sub-resource, no serious or critical axe-core finding, and
no sideways scrolling on a 360 px wide phone (every page, not only the person's).
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from playwright.sync_api import ConsoleMessage, Page, Response

DESKTOP_VIEWPORT = {"width": 1280, "height": 900}
# The narrowest phone we design for (WCAG 1.4.10 reflow is 320 CSS px; common small Android phones are 360).
PHONE_VIEWPORT = {"width": 360, "height": 740}

AXE_SOURCE_PATH = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_BLOCKING_IMPACTS = {"serious", "critical"}
SCREENSHOT_DIR = Path(settings.VAR_DIR) / "screenshots"


def page_check(page: Page, *, phone: bool = False) -> None:
    """Check the page now shown, and that it fits a 360 px phone; with phone=True, check it all again there."""
    page.wait_for_load_state("load")
    _assert_styled(page)
    _assert_no_problems(page)
    _assert_accessible(page)
    desktop = page.viewport_size
    page.set_viewport_size(PHONE_VIEWPORT)
    try:
        _assert_no_sideways_scrolling(page)
        if phone:
            _assert_styled(page)
            _assert_accessible(page, label=" at phone size")
    finally:
        page.set_viewport_size(desktop or DESKTOP_VIEWPORT)


def screenshot(page: Page, name: str, *, phone: bool = False) -> Path:
    """Save a full-page screenshot into var/screenshots/ (gitignored)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    desktop = page.viewport_size
    if phone:
        page.set_viewport_size(PHONE_VIEWPORT)
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(desktop or DESKTOP_VIEWPORT)
    return path


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations for the page. Injected by evaluation: our CSP blocks an added script tag."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE_PATH.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return list(result["violations"])


def watch_for_problems(page: Page) -> None:
    """Record script errors, CSP refusals and failed sub-resources, for `page_check` to report."""
    problems: list[str] = []
    page.on("console", lambda message: _console_problem(message, problems))
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("response", lambda response: _resource_problem(response, problems))
    page.on("requestfailed", lambda request: _request_failed(problems, request))
    page.onward_problems = problems  # type: ignore[attr-defined]


# --- helpers -------------------------------------------------------------------------------------


def _console_problem(message: ConsoleMessage, problems: list[str]) -> None:
    # A page answered with 400 or 403 (a form error, a refusal) logs a failed load; that is expected.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        problems.append(f"console error: {message.text}")


def _resource_problem(response: Response, problems: list[str]) -> None:
    if response.request.resource_type != "document" and response.status >= 400:
        problems.append(f"{response.status} for {response.request.resource_type} {response.url}")


def _assert_styled(page: Page) -> None:
    """Both stylesheets arrived and apply: GOV.UK Frontend's rules and one of our own."""
    sheets = page.evaluate(
        """() => [...document.querySelectorAll('link[rel=stylesheet]')].map(link => {
            let rules = 0;
            try { rules = link.sheet ? link.sheet.cssRules.length : 0; } catch (error) { /* not a stylesheet */ }
            return {href: link.href, rules};
        })"""
    )
    assert sheets, "The page links no stylesheet."
    empty = [sheet["href"] for sheet in sheets if not sheet["rules"]]
    assert not empty, f"Stylesheets not loaded: {empty}"
    skip_link = page.evaluate(
        """() => {
            const style = getComputedStyle(document.querySelector('.govuk-skip-link'));
            return {font: style.fontFamily, position: style.position};
        }"""
    )
    unstyled = f"GOV.UK Frontend's stylesheet is not applied (the skip link is styled {skip_link})."
    assert "system-ui" in skip_link["font"], unstyled  # our font stack, from assets/govuk.scss
    assert skip_link["position"] == "absolute", unstyled
    switch = page.evaluate("() => getComputedStyle(document.querySelector('.onward-language-switch')).display")
    assert switch == "inline-block", "onward.css is not applied (the language switch is not inline-block)."
    assert page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')"), (
        "GOV.UK Frontend's JavaScript did not start (onward/init.js)."
    )


def _assert_no_problems(page: Page) -> None:
    problems: list[str] = page.onward_problems  # type: ignore[attr-defined]
    found, problems[:] = list(problems), []
    assert not found, f"Problems loading {page.url}:\n" + "\n".join(found)


def _assert_no_sideways_scrolling(page: Page) -> None:
    width = PHONE_VIEWPORT["width"]
    widest = page.evaluate(
        """() => {
            const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
            if (overflow <= 0) return null;
            let culprit = null;
            for (const element of document.body.querySelectorAll('*')) {
                const right = element.getBoundingClientRect().right;
                if (right > document.documentElement.clientWidth && (!culprit || right > culprit.right)) {
                    const text = (element.textContent || '').trim().slice(0, 60);
                    culprit = {right, tag: element.tagName.toLowerCase(), classes: element.className, text};
                }
            }
            return {width: document.documentElement.scrollWidth, culprit};
        }"""
    )
    assert widest is None, (
        f"{page.url} is {widest['width']}px wide at {width}px, so it scrolls sideways: {widest['culprit']}"
    )


def _assert_accessible(page: Page, label: str = "") -> None:
    blocking = [v for v in axe_violations(page) if v["impact"] in AXE_BLOCKING_IMPACTS]
    assert not blocking, f"axe-core found problems on {page.url}{label}:\n" + "\n".join(_describe(v) for v in blocking)


def _describe(violation: dict[str, Any]) -> str:
    nodes = "\n".join(
        f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}" for node in violation["nodes"][:10]
    )
    return f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})\n{nodes}"


def _request_failed(problems: list[str], request: Any) -> None:
    # A request the browser itself cancelled because the page moved on (net::ERR_ABORTED, e.g. the
    # icon of a page left at once) is not a loading failure; anything else is.
    if "ERR_ABORTED" in str(request.failure):
        return
    problems.append(f"request failed: {request.url} ({request.failure})")


def staff_sign_in(page: Page, user: Any) -> None:
    """Sign a member of staff in through the real pages: password, then the authenticator code."""
    from onward.accounts.tests.factories import TEST_PASSWORD, totp_code

    page.context.clear_cookies()
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(user.username)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/sign-in/code/")
    page.get_by_label("Code from your authenticator app").fill(totp_code(user.totpdevice_set.get()))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/**")
