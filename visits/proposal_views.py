"""Pages for a proposed schedule: ask for one, watch it solve, edit it, publish it."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from opendoors import access
from opendoors.fields import date_near
from opendoors.http import AuthenticatedRequest
from schools.models import Person

from . import proposals
from .models import ProposalStatus


class ProposeForm(forms.Form):
    monday = forms.DateField(
        label="Week of", widget=forms.DateInput(attrs={"type": "date"}), validators=[date_near]
    )
    day = forms.CharField(required=False, max_length=64, label="One day only (swap day)")
    time_limit = forms.IntegerField(
        min_value=1, max_value=proposals.MAX_TIME_LIMIT, initial=10, label="Seconds to search"
    )

    def clean_monday(self):
        day = self.cleaned_data["monday"]
        return day - timedelta(days=day.weekday())


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
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the week to schedule.")
        return redirect("visits:plan", cycle_id=cycle.pk)
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


@require_GET
@login_required
def proposal(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    item = access.proposal_for_facilitator(request.user, proposal_id)
    rows = proposals.proposed_visits(item) if item.plan else []
    ids = {int(t) for r in rows for t in r.hosts} | {int(o) for r in rows for o, _ in r.observers}
    ids |= {int(c) for r in rows for _, c in r.observers if c and c.isdigit()}
    names = {str(pk): str(p) for pk, p in Person.objects.in_bulk(ids).items()}
    context = {
        "proposal": item,
        "cycle": item.cycle,
        "rows": [(row, _described(row, names)) for row in rows],
        "unscheduled": item.plan.get("unscheduled", []) if item.plan else [],
        "progress": _progress(item),
        "stalled": proposals.proposal_stalled(item),
    }
    template = "visits/_proposal.html" if request.htmx else "visits/proposal.html"
    return render(request, template, context)


def _described(row: proposals.ProposedVisit, names: dict[str, str]) -> dict:
    def cover(c: str | None) -> str:
        if c == "substitute":
            return " (a substitute covers)"
        return f" (covered by {names.get(c, c)})" if c else ""

    return {
        "hosts": ", ".join(names.get(h, h) for h in row.hosts),
        "observers": ", ".join(names.get(o, o) + cover(c) for o, c in row.observers),
    }


@require_GET
@login_required
def proposal_json(request: AuthenticatedRequest, proposal_id: int) -> JsonResponse:
    """The plan as FORMATS.md §3 describes it."""
    item = access.proposal_for_facilitator(request.user, proposal_id)
    return JsonResponse(item.plan or {"status": item.status})


@require_POST
@login_required
def proposal_change(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    """Remove or move one proposed visit; the change is re-checked before it is kept."""
    item = access.proposal_for_facilitator(request.user, proposal_id)
    form = ProposalChangeForm(
        request.POST, rows=proposals.proposed_visits(item) if item.plan else []
    )
    try:
        if item.status != ProposalStatus.READY:
            raise ValidationError("Only a proposal that is ready can be changed.")
        if not form.is_valid():
            raise ValidationError([m for ms in form.errors.values() for m in ms])
        action = form.cleaned_data["action"]
        if action == "reciprocal":
            found = proposals.proposal_reciprocate(proposal=item)
            messages.success(request, f"{found} reciprocal visits added.")
            return redirect("visits:proposal", proposal_id=item.pk)
        key = form.cleaned_data["row"].key
        if action == "remove":
            proposals.proposal_remove(proposal=item, key=key)
        else:
            day, period = form.cleaned_data["day"], form.cleaned_data["period"]
            proposals.proposal_move(proposal=item, key=key, day=day, period=period)
        messages.success(request, "Changed and checked.")
    except ValidationError as error:
        messages.error(request, "Not changed: " + " ".join(error.messages))
    return redirect("visits:proposal", proposal_id=item.pk)


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
    messages.success(request, f"{placed} visits published; everyone in them gets an email.")
    return redirect("visits:plan", cycle_id=item.cycle_id)
