"""`axe_check`: run axe-core in the page and fail on serious or critical violations."""

from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def axe_check(page) -> None:
    """Fail the test when the page, as it is now, has a serious or critical axe violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a <script>: the site's CSP refuses inline scripts.
        page.evaluate(AXE_JS.read_text())
    results = page.evaluate("() => axe.run()")
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    report = "\n".join(
        f"  {v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in blocking
    )
    assert not blocking, f"axe found violations on {page.url}:\n{report}"
