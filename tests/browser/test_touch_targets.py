"""On a phone (390 px, a touch screen) every control a finger aims at is at least 44 px tall
(WCAG 2.5.5): links that stand on their own, buttons, fields, summaries and the label rows of
checkboxes, on the pages a coach, a host, an observer and a cover use. Links inside a
sentence are exempt, as WCAG exempts them."""

import pytest
from playwright.sync_api import expect

from visits.models import Proposal
from visits.proposals import proposal_solve_attempt, proposal_start
from visits.tests.test_visit_page import a_lab_visit

from .conftest import REPORT_CSP_VIOLATIONS, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TAP = 44

# Every visible target on the page that is too small, as "what: W×H px". Running text is a
# paragraph, list item or cell holding words besides its controls (separators such as "·"
# between a row of links do not count); a checkbox or radio is hit through its label.
TOO_SMALL = """(tap) => {
  const words = (block) => {
    const copy = block.cloneNode(true);
    const controls = "a, button, input, select, summary, label, .sr-only";
    copy.querySelectorAll(controls).forEach((n) => n.remove());
    return copy.textContent.replace(/[\\s·|,()–—]/g, "") !== "";
  };
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && box.right > 0 && style.visibility !== "hidden"
      && !el.closest(".sr-only, pre");
  };
  const name = (el) => `${el.tagName.toLowerCase()}${el.type ? `[${el.type}]` : ""}`
    + ` "${(el.textContent || el.name || el.id).trim().replace(/\\s+/g, " ").slice(0, 50)}"`;
  const small = [];
  for (const el of document.querySelectorAll("a, button, input, select, summary, label")) {
    if (el.type === "hidden" || !visible(el)) continue;
    const running = el.closest("p, li, dd, td, caption, figcaption");
    if (el.tagName === "A" && running && words(running)) continue;
    let target = el;
    if (el.tagName === "LABEL") {
      // A label is a target only for a checkbox or radio; other fields are hit themselves.
      if (!el.control || !["checkbox", "radio"].includes(el.control.type)) continue;
    } else if (el.type === "checkbox" || el.type === "radio") {
      target = el.labels && el.labels.length ? el.labels[0] : el;
    }
    const box = target.getBoundingClientRect();
    if (box.height < tap - 0.5) {
      small.push(`${name(el)}: ${Math.round(box.width)}×${Math.round(box.height)} px`);
    }
  }
  return small;
}"""


@pytest.fixture
def phone(browser, live_server):
    """`phone(username)`: a fresh 390 px touch screen, so the site's `(pointer: coarse)` rules
    apply, signed in as that person. Fresh for each person: the capture page's service worker
    would otherwise answer the next sign-in page from its cache."""
    contexts = []
    blocked: list[str] = []

    def signed_in(username: str):
        context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda m: (
                blocked.append(f"{page.url}: {m.text}")
                if "Content Security Policy" in m.text or "CSP violation" in m.text
                else None
            ),
        )
        sign_in(page, live_server, username)
        return page

    yield signed_in
    for context in contexts:
        context.close()
    assert not blocked, "the security headers blocked:\n" + "\n".join(blocked)


def all_targets_fit_a_finger(page, covered: list[str]) -> None:
    assert page.evaluate("() => matchMedia('(pointer: coarse)').matches")
    small = page.evaluate(TOO_SMALL, TAP)
    assert not small, f"targets under {TAP} px on {page.url}:\n  " + "\n  ".join(small)
    covered.append(page.url)


def visit(page, live_server, path: str, heading: str, covered: list[str]) -> None:
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1).first).to_contain_text(heading)
    all_targets_fit_a_finger(page, covered)


def test_every_target_fits_a_finger_for_coach_host_observer_and_cover(
    phone, live_server, transactional_db, personas
):
    visit_ = a_lab_visit(personas)
    cycle = visit_.cycle
    proposal = proposal_start(
        cycle=cycle, by=personas.coach, monday=visit_.date, day="Tue", time_limit=2
    )
    proposal_solve_attempt(proposal_id=proposal.pk)
    assert Proposal.objects.get().status == "ready"
    covered: list[str] = []

    page = phone("coach")
    all_targets_fit_a_finger(page, covered)
    visit(page, live_server, f"/cycles/{cycle.pk}/", "Student discourse", covered)
    expect(page.get_by_role("link", name="Edit the pre-brief")).to_be_visible()
    expect(
        page.get_by_role("link", name="See the evidence tool as an observer will")
    ).to_be_visible()
    visit(
        page,
        live_server,
        f"/cycles/{cycle.pk}/pre-briefs/{personas.teacher.pk}/",
        "pre-brief",
        covered,
    )
    visit(page, live_server, f"/cycles/{cycle.pk}/focus/", "Student discourse", covered)
    visit(page, live_server, f"/cycles/{cycle.pk}/settings/", "Student discourse", covered)
    visit(page, live_server, f"/cycles/{cycle.pk}/visits/", "Student discourse", covered)
    visit(page, live_server, f"/proposals/{proposal.pk}/", "Proposed schedule", covered)
    expect(page.get_by_role("link", name="Download the plan (JSON)")).to_be_visible()
    visit(page, live_server, "/schools/lincoln/schedule/", "master schedule", covered)
    visit(page, live_server, "/style/", "Style", covered)

    page = phone("teacher")
    expect(page.get_by_role("link", name="Put my visits in my calendar")).to_be_visible()
    all_targets_fit_a_finger(page, covered)
    visit(page, live_server, f"/visits/{visit_.pk}/", ", period 2", covered)
    visit(page, live_server, "/account/", "My account", covered)

    page = phone("colleague")
    visit(page, live_server, f"/visits/{visit_.pk}/capture/", "Student discourse", covered)
    expect(page.get_by_role("link", name="← The visit")).to_be_visible()

    page = phone("bystander")
    all_targets_fit_a_finger(page, covered)
    visit(page, live_server, f"/visits/{visit_.pk}/", "SCI8-1", covered)
    expect(page.get_by_role("link", name="Add to my calendar (.ics)")).to_be_visible()
    assert len(covered) == 15
