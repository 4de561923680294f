"""Helpers for the browser tests: which Chromium to start, and the checks every page passes."""

import os
from pathlib import Path

import pytest

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}

# axe-core rules for WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def chromium_executable():
    """Debian's Chromium, else ``$VRIJUIT_CHROMIUM``, else None (Playwright's own browser)."""
    if SYSTEM_CHROMIUM.exists():
        return str(SYSTEM_CHROMIUM)
    return os.environ.get("VRIJUIT_CHROMIUM") or None


def assert_accessible(page, include=None):
    """Run axe-core (WCAG 2.0/2.1, A and AA) on the page; fail with a readable list.

    ``include`` limits the check to part of the page (an axe context, e.g. a selector).
    """
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, context=include, options=options)
    violations = results.response["violations"]
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']}"
                f" <{violation['helpUrl']}>"
            )
            for node in violation["nodes"]:
                target = " ".join(str(part) for part in node["target"])
                html = " ".join(node.get("html", "").split())
                html = html if len(html) <= 160 else html[:157] + "..."
                summary = "; ".join(
                    line.strip() for line in node.get("failureSummary", "").splitlines()
                ).replace(":;", ":")
                lines.append(f"    {target}  {html}")
                lines.append(f"      {summary}")
        pytest.fail("\n".join(lines), pytrace=False)


def assert_no_horizontal_scroll(page, width):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, (
        f"{page.url} scrolls sideways at {width} px: the page is {scroll_width} px wide"
    )
