"""The hours ledger's pages: a person's own hours and the learning they report, the school's
queue of reported learning to review, and the district's export for posting credits.

A person's ledger is theirs. Reviewers see what reported learning was and how long it took,
never its reflection. District leaders export hours only (FORMATS.md §4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from opendoors import access
from opendoors.http import AuthenticatedRequest
from opendoors.security import private_no_store
from rosters.csvfiles import write_rows

from .hours_forms import LearningForm, LedgerRangeForm, ReviewForm
from .ledger import (
    entry_waits,
    export_rows,
    ledger_for_export,
    ledger_totals,
    waiting_for_approval,
)
from .models import EntryStatus, LedgerEntry
from .services import (
    LedgerRefused,
    learning_report,
    learning_resubmit,
    learning_review,
    ledger_post,
    ledger_refresh_for_person,
)


def _own_schools(request: AuthenticatedRequest) -> list:
    return [school for school, _, _ in access.schools_with_rights(request.user)]


@require_http_methods(["GET", "POST"])
@login_required
@private_no_store
def my_hours(request: AuthenticatedRequest) -> HttpResponse:
    """My ledger by date, its totals, and a form to report other learning."""
    person = request.user
    schools = _own_schools(request)
    form = LearningForm(request.POST if request.method == "POST" else None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            learning_report(person=person, school=form.chosen_school(), learning=form.learning())
        except LedgerRefused as refused:
            form.add_error(None, refused.reason)
        else:
            messages.success(request, "Learning added to your hours.")
            return redirect("growth:my_hours")
    # Visits that simply passed their date count from the moment one looks.
    ledger_refresh_for_person(person=person)
    entries = list(
        LedgerEntry.objects.filter(person=person).select_related("school", "cycle", "district")
    )
    context = {
        "entries": entries,
        "totals": ledger_totals(entries),
        "waiting_ids": {entry.pk for entry in entries if entry_waits(entry)},
        "form": form,
        "schools": schools,
        "review_schools": list(access.schools_for_hours_reviewer(person)),
    }
    return render(request, "growth/hours/mine.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
@private_no_store
def reported_edit(request: AuthenticatedRequest, entry_id: int) -> HttpResponse:
    """Correct learning one reported (returned with a comment, or not reviewed yet) and send it
    again."""
    entry = access.reported_entry_for_owner(request.user, entry_id)
    schools = _own_schools(request)
    initial = {
        "activity": entry.activity,
        "title": entry.title,
        "date": entry.date,
        "minutes": entry.minutes,
        "reflection": entry.reflection,
        "school": entry.school_id,
    }
    data = request.POST if request.method == "POST" else None
    form = LearningForm(data, schools=schools, initial=initial)
    form.fields["school"].disabled = True
    editable = entry.posted_at is None and entry.status != EntryStatus.APPROVED
    if request.method == "POST" and form.is_valid():
        try:
            learning_resubmit(entry=entry, learning=form.learning())
        except LedgerRefused as refused:
            form.add_error(None, refused.reason)
        else:
            messages.success(request, "Sent again for review.")
            return redirect("growth:my_hours")
    context = {"entry": entry, "form": form, "editable": editable}
    return render(
        request, "growth/hours/reported_edit.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET"])
@login_required
@private_no_store
def approvals(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Learning the school's teachers reported, waiting for review (where the district asks
    for approval: elsewhere the page says it counts without it)."""
    school = access.school_for_hours_reviewer(request.user, slug)
    waiting = (
        LedgerEntry.objects.filter(waiting_for_approval(), school=school)
        .exclude(person=request.user)
        .select_related("person")
        .order_by("date", "pk")
    )
    rows = [(entry, ReviewForm(prefix=f"e{entry.pk}")) for entry in waiting]
    context = {
        "school": school,
        "rows": rows,
        "needs_approval": school.district.self_reported_needs_approval,
    }
    return render(request, "growth/hours/approvals.html", context)


@require_POST
@login_required
def review(request: AuthenticatedRequest, slug: str, entry_id: int) -> HttpResponse:
    entry = access.reported_entry_for_reviewer(request.user, slug, entry_id)
    form = ReviewForm(request.POST, prefix=f"e{entry.pk}")
    if not form.is_valid():
        school = entry.school
        context = {"school": school, "rows": [(entry, form)], "one": True, "needs_approval": True}
        return render(request, "growth/hours/approvals.html", context, status=400)
    try:
        learning_review(
            entry=entry,
            reviewer=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
        )
    except LedgerRefused as refused:
        messages.error(request, refused.reason)
    else:
        messages.success(
            request, f"{entry.person}'s “{entry.title}”: {entry.get_status_display()}."
        )
    return redirect("growth:hours_approvals", slug=slug)


@require_http_methods(["GET", "POST"])
@login_required
@private_no_store
def district_ledger(
    request: AuthenticatedRequest, slug: str
) -> HttpResponse | StreamingHttpResponse:
    """The district's hours for a date range: how many entries and people, and the CSV to
    post into HR or licensing systems (downloading it posts the entries it holds)."""
    district = access.district_for_leader(request.user, slug)
    form = LedgerRangeForm(request.POST if request.method == "POST" else request.GET)
    counts = None
    if form.is_valid():
        entries = ledger_for_export(district, form.cleaned_data["start"], form.cleaned_data["end"])
        if request.method == "POST":
            ledger_post(district=district, entries=entries)
            response = StreamingHttpResponse(
                write_rows(export_rows(entries)), content_type="text/csv; charset=utf-8"
            )
            name = f"hours-ledger-{district.slug}-{timezone.localdate():%Y-%m-%d}.csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        counts = {
            "entries": entries.count(),
            "people": entries.values("person").distinct().count(),
            "unposted": entries.filter(posted_at__isnull=True).count(),
        }
    context = {"district": district, "form": form, "counts": counts}
    return render(
        request, "growth/hours/district.html", context, status=400 if form.errors else 200
    )
