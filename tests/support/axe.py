"""Run axe-core (vendored, no network) in a Playwright page and report what it finds.

``axe.min.js`` is axe-core 4.14.1 from the npm registry (``npm pack axe-core@4.14.1``),
MPL-2.0, unchanged with its licence header; its SHA-256 matches the package's
``sri-history.json`` (``sha256-KTSJmUUM3yhJqOcLeRL8LahahJ2jnA0NU5T1HUqe2Vw=``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parent / "axe.min.js"
VERSION = "4.14.1"
#: What the tests refuse; "minor" and "moderate" findings are reported, not failed on.
BLOCKING = frozenset({"serious", "critical"})
#: WCAG 2.0/2.1 A and AA (what DOS-lagen asks through EN 301 549) and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def run_axe(page: Page) -> list[dict[str, Any]]:
    """Return axe's violations for the page as it is now (each with its nodes)."""
    # The pages' Content-Security-Policy allows only their own scripts; Playwright's
    # add_script_tag would be refused, so the source is evaluated in the page instead.
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    assert page.evaluate("window.axe.version") == VERSION
    result: dict[str, Any] = page.evaluate(
        "(tags) => window.axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        TAGS,
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation and node, for an assertion message."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            lines.append(
                f"{violation['impact']}: {violation['id']} ({violation['help']}) at "
                f"{node['target']}: {node.get('failureSummary', '')}"
            )
    return "\n".join(lines)


def assert_accessible(page: Page, where: str) -> list[dict[str, Any]]:
    """Fail on serious or critical violations; return the milder ones for the record."""
    violations = run_axe(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"axe {VERSION} on {where}:\n{describe(blocking)}"
    return [v for v in violations if v["impact"] not in BLOCKING]
