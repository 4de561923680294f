"""The checks themselves: a page with known faults must fail them, readably."""

import pytest

from .helpers import PHONE, assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

FAULTY_PAGE = """<!DOCTYPE html><html><head><title>Faulty</title></head><body>
<main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" class="photo">
<input type="text" id="nameless"></main></body></html>"""


def test_assert_accessible_lists_rule_impact_and_element(page):
    page.set_content(FAULTY_PAGE)

    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page)

    report = str(failure.value)
    assert "html-has-lang (serious)" in report
    assert "image-alt (critical)" in report
    assert '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" class="photo">' in report
    assert "label (critical)" in report
    assert "#nameless" in report


def test_assert_no_horizontal_scroll_catches_a_wide_page(page):
    page.set_viewport_size(PHONE)
    page.set_content('<html lang="nl"><body><p>' + "x" * 200 + "</p></body></html>")

    with pytest.raises(AssertionError, match="scrolls sideways at 360 px"):
        assert_no_horizontal_scroll(page, PHONE["width"])


def test_an_inline_style_breaks_the_content_security_policy_and_is_reported(page, browser_errors):
    page.goto("/accessibility/")
    page.evaluate(
        "() => { const style = document.createElement('style');"
        " style.textContent = 'body { color: red; }'; document.head.append(style); }"
    )

    def reported():
        return any("Content Security Policy" in error for error in browser_errors)

    for _ in range(50):  # the console message arrives asynchronously
        if reported():
            break
        page.wait_for_timeout(100)
    assert reported(), browser_errors
    browser_errors.clear()
