"""The forms of artifacts and of portfolio shares: every input parsed here, nothing in views."""

from django import forms
from django.core.files.uploadedfile import UploadedFile

from inquiry.models import PreBrief
from opendoors.fields import is_id
from schools.models import Person

from .artifacts import (
    ACCEPT,
    Attachment,
    follow_ups_of,
    goals_of,
    ledger_entries_of,
    pre_briefs_of,
    too_big_message,
)
from .models import FollowUp, Goal, LedgerEntry, PortfolioSection
from .portfolio import LINK_DAYS, colleagues_of

NAMES_REMINDER = (
    "Before you upload student work, cover or cut out students’ names and faces: an "
    "artifact documents your learning, not who your students are."
)


class ArtifactForm(forms.Form):
    """A photo taken now (a phone's camera opens) or a file chosen, a title, and what the
    artifact documents: one of the owner's own goals, follow-ups, pre-briefs, ledger entries."""

    photo = forms.FileField(
        required=False,
        label="Take a photo",
        help_text="On a phone: opens the camera (an anchor chart, student work).",
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    file = forms.FileField(
        required=False,
        label="Or choose a file",
        help_text="A photo (JPEG, PNG, WebP), PDF, Word, PowerPoint, Excel or text file, up "
        "to 15 MB. Photos are saved without their location or camera details.",
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    title = forms.CharField(
        max_length=200, required=False, help_text="Left empty, the file’s name is used."
    )
    caption = forms.CharField(
        max_length=2000,
        required=False,
        label="What it shows",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attach_to = forms.ChoiceField(label="What it documents", required=False)

    def __init__(self, *args, owner: Person, refused: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The name of a file the upload handler stopped reading: it was over the limit.
        self.refused = refused
        self.targets: dict[str, object] = {}
        groups: list[tuple[str, list[tuple[str, str]]]] = []
        for label, prefix, rows, named in (
            (
                "My goals",
                "goal",
                goals_of(owner),
                lambda g: f"{g.text[:70]} ({g.cycle or g.meeting})",
            ),
            (
                "My follow-ups",
                "follow_up",
                follow_ups_of(owner),
                lambda f: f"Follow-up: {f.goal.text[:60]}",
            ),
            ("My pre-briefs", "pre_brief", pre_briefs_of(owner), lambda p: f"{p.cycle}"),
            (
                "My learning (ledger)",
                "ledger",
                ledger_entries_of(owner),
                lambda e: f"{e.date:%b %-d}: {e.title[:60]}",
            ),
        ):
            options = []
            for row in rows:
                key = f"{prefix}:{row.pk}"
                self.targets[key] = row
                options.append((key, named(row)))
            if options:
                groups.append((label, options))
        attach_to = self.fields["attach_to"]
        assert isinstance(attach_to, forms.ChoiceField)
        attach_to.choices = [("", "Only my portfolio"), *groups]

    def clean(self):
        cleaned = super().clean()
        photo, file = cleaned.get("photo"), cleaned.get("file")
        if self.refused:
            self.add_error("file", too_big_message(self.refused))
        elif not self.errors and not (photo or file):
            self.add_error("file", "Take a photo or choose a file to upload.")
        elif photo and file:
            self.add_error("file", "Upload one file at a time: the photo or the file.")
        return cleaned

    @property
    def upload(self) -> UploadedFile:
        return self.cleaned_data.get("photo") or self.cleaned_data["file"]

    @property
    def attachment(self) -> Attachment:
        target = self.targets.get(self.cleaned_data.get("attach_to") or "")
        return Attachment(
            goal=target if isinstance(target, Goal) else None,
            follow_up=target if isinstance(target, FollowUp) else None,
            pre_brief=target if isinstance(target, PreBrief) else None,
            ledger_entry=target if isinstance(target, LedgerEntry) else None,
        )


def initial_attach_to(kind: str | None, value: str | None) -> str:
    """?goal=12 on the upload page's address: attach to that goal (if it is the owner's)."""
    if kind in {"goal", "follow_up", "pre_brief", "ledger"} and value and is_id(value):
        return f"{kind}:{value}"
    return ""


class PortfolioShareForm(forms.Form):
    """Which parts, and with whom: a named colleague, or a link that expires."""

    sections = forms.MultipleChoiceField(
        choices=PortfolioSection.choices,
        widget=forms.CheckboxSelectMultiple,
        label="What to share",
        help_text="Only these parts are shown, read-only. Artifacts can be downloaded only "
        "when “Artifacts” is chosen.",
        error_messages={"required": "Choose at least one part of your portfolio to share."},
    )
    way = forms.ChoiceField(
        choices=[("colleague", "With a colleague, by name"), ("link", "By a link that expires")],
        widget=forms.RadioSelect,
        label="How",
        initial="colleague",
    )
    colleague = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label="Colleague"
    )
    days = forms.IntegerField(
        min_value=LINK_DAYS[0],
        max_value=LINK_DAYS[1],
        initial=14,
        required=False,
        label="The link works for (days)",
        help_text=f"From {LINK_DAYS[0]} to {LINK_DAYS[1]} days; you can withdraw it sooner.",
    )

    def __init__(self, *args, owner: Person, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        colleague = self.fields["colleague"]
        assert isinstance(colleague, forms.ModelChoiceField)
        colleague.queryset = colleagues_of(owner)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("way") == "colleague" and not cleaned.get("colleague"):
            self.add_error("colleague", "Choose the colleague to share with.")
        if (
            cleaned.get("way") == "link"
            and cleaned.get("days") is None
            and "days" not in (self.errors)
        ):
            self.add_error("days", "Say for how many days the link works.")
        return cleaned
