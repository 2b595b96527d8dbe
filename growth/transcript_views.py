"""The transcript pages: a person downloads their own transcript (PDF or CSV) for a date
range, and anyone with a transcript's verification link checks it (growth/transcript.py)."""

from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from opendoors.http import AuthenticatedRequest
from opendoors.security import private_no_store
from schools.models import District

from .transcript import (
    Verdict,
    awaiting_approval,
    range_problem,
    school_year_of,
    transcript_build,
    transcript_csv,
    transcript_districts,
    transcript_filename,
    transcript_pdf,
    transcript_verify,
)

FORMATS = {
    "pdf": ("PDF (to print or hand in)", "application/pdf"),
    "csv": ("CSV (for a spreadsheet)", "text/csv; charset=utf-8"),
}


class TranscriptForm(forms.Form):
    """From, to, format, and the district when the person has learning in more than one."""

    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    format = forms.ChoiceField(
        choices=[(key, label) for key, (label, _) in FORMATS.items()],
        widget=forms.RadioSelect,
        initial="pdf",
    )
    district = forms.ModelChoiceField(queryset=District.objects.none(), empty_label=None)

    def __init__(self, *args: object, districts: list[District], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["district"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = District.objects.filter(pk__in=[d.pk for d in districts]).order_by("name")
        # Most people have one district: the field is then hidden, and may be left out.
        self.only_district = districts[0] if len(districts) == 1 else None
        if self.only_district:
            field.initial = self.only_district.pk
            field.required = False
            field.widget = forms.HiddenInput()

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if self.only_district and not cleaned.get("district"):
            cleaned["district"] = self.only_district
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, date) and isinstance(end, date):
            problem = range_problem(start, end)
            if problem:
                self.add_error("end", problem)
        return cleaned


@login_required
@require_GET
@private_no_store
def transcript(request: AuthenticatedRequest) -> HttpResponse:
    """The form (GET with no query) and the download (GET with the form's fields): a GET, so
    the browser saves the file and the back button comes back to the form."""
    person = request.user
    districts = transcript_districts(person)
    first, last = school_year_of(timezone.localdate())
    if not districts:
        return render(request, "growth/transcript/form.html", {"form": None})
    if "format" not in request.GET:
        form = TranscriptForm(
            initial={"start": first, "end": last, "district": districts[0].pk},
            districts=districts,
        )
        waiting = awaiting_approval(person=person, district=districts[0], start=first, end=last)
        context = {"form": form, "waiting": waiting, "year": (first, last)}
        return render(request, "growth/transcript/form.html", context)
    form = TranscriptForm(request.GET, districts=districts)
    if not form.is_valid():
        context = {"form": form, "waiting": 0, "year": (first, last)}
        return render(request, "growth/transcript/form.html", context, status=400)
    data = form.cleaned_data
    built = transcript_build(
        person=person, district=data["district"], start=data["start"], end=data["end"]
    )
    issued_on = timezone.localdate()
    extension = data["format"]
    body: bytes | str = (
        transcript_pdf(built, issued_on=issued_on)
        if extension == "pdf"
        else transcript_csv(built, issued_on=issued_on)
    )
    response = HttpResponse(body, content_type=FORMATS[extension][1])
    filename = transcript_filename(built, extension)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


HEADLINES = {
    Verdict.GENUINE: "Genuine",
    Verdict.CHANGED: "Does not match",
    Verdict.NOT_A_LINK: "Not a transcript link",
}


@require_GET
@private_no_store
def transcript_verify_page(request: HttpRequest, token: str) -> HttpResponse:
    """Public: whether a transcript is genuine and unaltered. Shows totals, never entries."""
    verification = transcript_verify(token)
    context = {
        "v": verification,
        "headline": HEADLINES[verification.verdict],
        "genuine": verification.verdict == Verdict.GENUINE,
        "changed": verification.verdict == Verdict.CHANGED,
    }
    return render(request, "growth/transcript/verify.html", context)
