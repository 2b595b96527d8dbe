"""Pages for a proposed schedule: ask for one, watch it solve, edit it (with undo), publish it.

Every change answers htmx with the proposal's section redrawn (the removed row replaced by
its undo line, the summary recounted) and a full page load with the same page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from opendoors import access
from opendoors.http import AuthenticatedRequest
from schools.models import Person
from schools.selectors import term_current

from . import proposals
from .forms import ProposeForm
from .models import ProposalStatus
from .views import plan_page_with


class UndoForm(forms.Form):
    """The signed note of one change, carried by its undo button (or the page's address)."""

    undo = forms.CharField(max_length=4000)


class ProposalChangeForm(forms.Form):
    """One edit of a proposal: remove or move one of its visits, or add reciprocal visits.
    The visit and the slot must be ones the page offered."""

    action = forms.ChoiceField(choices=[(a, a) for a in ("remove", "move", "reciprocal")])
    key = forms.CharField(required=False, max_length=300)
    slot = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, rows: list[proposals.ProposedVisit], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = {row.key: row for row in rows}

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action in (None, "reciprocal"):
            return cleaned
        row = self.rows.get(cleaned.get("key", ""))
        if row is None:
            raise ValidationError("That visit is no longer in the proposal: reload the page.")
        cleaned["row"] = row
        if action == "move":
            day, _, period = cleaned.get("slot", "").partition("|")
            if (day, period) not in row.moves:
                raise ValidationError("Choose one of the periods offered for that visit.")
            cleaned["day"], cleaned["period"] = day, period
        return cleaned


@require_POST
@login_required
def propose(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    cycle = access.cycle_for_facilitator(request.user, cycle_id)
    form = ProposeForm(request.POST, term=term_current(cycle.school))
    if not form.is_valid():
        # The Visits page again, with the message under the field that needs it.
        return plan_page_with(request, cycle, propose_form=form)
    try:
        proposal = proposals.proposal_start(cycle=cycle, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("visits:plan", cycle_id=cycle.pk)
    return redirect("visits:proposal", proposal_id=proposal.pk)


def _progress(proposal) -> int:
    if proposal.status != ProposalStatus.SOLVING or not proposal.started_at:
        return 0
    elapsed = (timezone.now() - proposal.started_at).total_seconds()
    return min(99, int(100 * elapsed / max(proposal.time_limit, 1)))


@require_POST
@login_required
def proposal_retry(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    """Solve again a proposal that failed or stalled (its worker stopped)."""
    item = access.proposal_for_facilitator(request.user, proposal_id)
    if not proposals.proposal_retry(proposal=item):
        messages.error(request, "This proposal is neither failed nor stalled: nothing to retry.")
    return redirect("visits:proposal", proposal_id=item.pk)


def _names(rows: list[proposals.ProposedVisit], undo: proposals.Undo | None) -> dict[str, str]:
    ids = {t for r in rows for t in r.hosts} | {o for r in rows for o, _ in r.observers}
    ids |= {c for r in rows for _, c in r.observers if c}
    if undo is not None:
        ids |= {v.observer for v in undo.put_back} | {v.host for v in undo.put_back}
    people = Person.objects.in_bulk({int(i) for i in ids if i.isdigit()})
    return {str(pk): str(p) for pk, p in people.items()}


def _undo_of(request: AuthenticatedRequest, item) -> proposals.Undo | None:
    """The change the page was asked to offer to undo (after a full page load), if it still
    can be undone; a stale or forged note is simply not offered."""
    form = UndoForm(request.GET)
    if not form.is_valid():
        return None
    try:
        undo = proposals.undo_read(item, form.cleaned_data["undo"])
    except ValidationError:
        return None
    return undo if proposals.undo_possible(item, undo) else None


def _render(
    request: AuthenticatedRequest,
    item,
    *,
    undo: proposals.Undo | None = None,
    notice: str = "",
    problem: str = "",
) -> HttpResponse:
    rows = proposals.proposed_visits(item) if item.plan else []
    names = _names(rows, undo)
    shown: list[dict] = [
        {"row": row, "shown": _described(row, names), "when": (row.day, row.period)} for row in rows
    ]
    if undo is not None and undo.removal and undo.put_back:
        # The removed row's place in the table holds its undo line.
        first = undo.put_back[0]
        position = next(
            (i for i, r in enumerate(rows) if _after(item, r, first.day, first.period)),
            len(rows),
        )
        shown.insert(position, {"undo": undo})
    visits, people = proposals.proposal_reach(item)
    context = {
        "proposal": item,
        "cycle": item.cycle,
        "rows": shown,
        "summary": proposals.proposal_summary_of(item),
        "undo": undo,
        "notice": notice,
        "problem": problem,
        "publish_question": (
            f"Publish {visits} visit{pluralize(visits)} and email "
            f"{people} {pluralize(people, 'person,people')}?"
        ),
        "progress": _progress(item),
        "stalled": proposals.proposal_stalled(item),
    }
    template = "visits/_proposal.html" if request.htmx else "visits/proposal.html"
    return render(request, template, context)


def _after(item, row: proposals.ProposedVisit, day: str, period: str) -> bool:
    """Whether the row comes after (day, period) in the week."""
    days, periods = item.problem.get("days", []), item.problem.get("periods", [])

    def order(d: str, p: str) -> tuple[int, int]:
        return (
            days.index(d) if d in days else 99,
            periods.index(p) if p in periods else 99,
        )

    return order(row.day, row.period) > order(day, period)


@require_GET
@login_required
def proposal(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    item = access.proposal_for_facilitator(request.user, proposal_id)
    return _render(request, item, undo=_undo_of(request, item))


def _described(row: proposals.ProposedVisit, names: dict[str, str]) -> dict:
    def cover(c: str | None) -> str:
        if c == "substitute":
            return " (a substitute covers)"
        return f" (covered by {names.get(c, c)})" if c else ""

    return {
        "hosts": ", ".join(names.get(h, h) for h in row.hosts),
        "observers": ", ".join(names.get(o, o) + cover(c) for o, c in row.observers),
        "words": proposals.row_words(row, names),
    }


@require_GET
@login_required
def proposal_json(request: AuthenticatedRequest, proposal_id: int) -> JsonResponse:
    """The plan as FORMATS.md §3 describes it."""
    item = access.proposal_for_facilitator(request.user, proposal_id)
    return JsonResponse(item.plan or {"status": item.status})


def _answer(
    request: AuthenticatedRequest,
    item,
    *,
    undo: proposals.Undo | None = None,
    notice: str = "",
    problem: str = "",
) -> HttpResponse:
    """htmx: the section redrawn in place. A full page load: back to the proposal page (its
    address carries the undo note, so reloading it shows the same page)."""
    if request.htmx:
        return _render(request, item, undo=undo, notice=notice, problem=problem)
    if problem:
        messages.error(request, problem)
    elif notice and undo is None:
        messages.success(request, notice)
    url = reverse("visits:proposal", args=[item.pk])
    if undo is not None:
        url += "?" + urlencode({"undo": undo.token})
    return redirect(url)


@require_POST
@login_required
def proposal_change(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    """Remove or move one proposed visit; the change is re-checked before it is kept, and
    the answer offers to undo it."""
    item = access.proposal_for_facilitator(request.user, proposal_id)
    rows = proposals.proposed_visits(item) if item.plan else []
    form = ProposalChangeForm(request.POST, rows=rows)
    try:
        if item.status != ProposalStatus.READY:
            raise ValidationError("Only a proposal that is ready can be changed.")
        if not form.is_valid():
            raise ValidationError([m for ms in form.errors.values() for m in ms])
        action = form.cleaned_data["action"]
        if action == "reciprocal":
            found = proposals.proposal_reciprocate(proposal=item)
            return _answer(request, item, notice=f"{found} reciprocal visits added.")
        key = form.cleaned_data["row"].key
        if action == "remove":
            undo = proposals.proposal_remove(proposal=item, key=key, names=_names(rows, None))
        else:
            day, period = form.cleaned_data["day"], form.cleaned_data["period"]
            undo = proposals.proposal_move(proposal=item, key=key, day=day, period=period)
    except ValidationError as error:
        return _answer(request, item, problem="Not changed: " + " ".join(error.messages))
    return _answer(request, item, undo=undo)


@require_POST
@login_required
def proposal_undo(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    """Put a removed visit back, or a moved one where it was, exactly as it was."""
    item = access.proposal_for_facilitator(request.user, proposal_id)
    form = UndoForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("There is nothing to undo.")
        done = proposals.proposal_undo(proposal=item, token=form.cleaned_data["undo"])
    except ValidationError as error:
        return _answer(request, item, problem="Not undone: " + " ".join(error.messages))
    return _answer(request, item, notice=done)


@require_POST
@login_required
def proposal_publish(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    item = access.proposal_for_facilitator(request.user, proposal_id)
    try:
        placed = proposals.proposal_publish(proposal=item)
    except ValidationError as error:
        if getattr(error, "code", None) == "not_ready":
            messages.info(request, error.messages[0])
            return redirect("visits:proposal", proposal_id=item.pk)
        messages.error(request, "Nothing was published: " + " ".join(error.messages))
        return redirect("visits:proposal", proposal_id=item.pk)
    messages.success(
        request, f"{placed} visit{pluralize(placed)} published; everyone in them gets an email."
    )
    return redirect("visits:plan", cycle_id=item.cycle_id)
