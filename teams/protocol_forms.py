"""Forms of the protocol library and the live runner: every input is parsed here."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from opendoors.uploads import kinds_described, upload_check
from schools.models import Person

from .models import STEP_MINUTES_MAX, STEP_MINUTES_MIN, Protocol
from .runner import EXTENSIONS

MINUTES_MESSAGE = f"A step lasts {STEP_MINUTES_MIN} to {STEP_MINUTES_MAX} minutes."


class ProtocolForm(forms.Form):
    title = forms.CharField(max_length=120)
    purpose = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the team does with it, in a sentence or two.",
    )


class StepForm(forms.Form):
    title = forms.CharField(max_length=120)
    minutes = forms.IntegerField(
        min_value=STEP_MINUTES_MIN,
        max_value=STEP_MINUTES_MAX,
        error_messages={
            "min_value": MINUTES_MESSAGE,
            "max_value": MINUTES_MESSAGE,
            "invalid": MINUTES_MESSAGE,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    roles = forms.CharField(
        max_length=300,
        required=False,
        label="Who speaks",
        help_text="For example: “Presenter silent; participants give warm and cool feedback”.",
    )
    prompt = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class StepMoveForm(forms.Form):
    move = forms.TypedChoiceField(choices=[("-1", "Up"), ("1", "Down")], coerce=int)


class ShareForm(forms.Form):
    share = forms.BooleanField(required=False)


class RunStartForm(forms.Form):
    protocol = forms.ModelChoiceField(queryset=Protocol.objects.none(), empty_label=None)
    recorder = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        empty_label=None,
        help_text="Takes the notes of each step; the team's facilitators can too.",
    )

    def __init__(
        self,
        *args: Any,
        protocols: QuerySet[Protocol],
        members: QuerySet[Person],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["protocol"].queryset = protocols  # type: ignore[attr-defined]
        self.fields["recorder"].queryset = members  # type: ignore[attr-defined]


MOVES = [("next", "Next step"), ("back", "Back")] + [
    (f"extend{m}", f"+{m} min") for m in EXTENSIONS
]


class MoveForm(forms.Form):
    """A facilitator's press, with the version of the run their screen showed."""

    move = forms.ChoiceField(choices=MOVES)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class NoteForm(forms.Form):
    step = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    text = forms.CharField(
        max_length=5000,
        required=False,
        label="Notes for this step",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EndForm(forms.Form):
    takeaways = forms.CharField(
        max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_step = forms.CharField(
        max_length=1000,
        label="The team's next step",
        help_text="One actionable step the team will take.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    attended = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Who attended",
        help_text="Everyone on the team is ticked: untick whoever was not there.",
    )

    def __init__(self, *args: Any, members: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = members  # type: ignore[attr-defined]


# The student work or data a run discusses: images, PDF, Office files, CSV.
ATTACHMENT_EXTENSIONS = (
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".webp",
    ".docx",
    ".pptx",
    ".xlsx",
    ".csv",
)
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Student work or data under discussion",
        help_text=f"{kinds_described(ATTACHMENT_EXTENSIONS)}, up to 20 MB. A new file replaces "
        "the one before; only those who follow the protocol can download it.",
        widget=forms.FileInput(attrs={"accept": ",".join(ATTACHMENT_EXTENSIONS)}),
        error_messages={"required": "Choose a file to attach."},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        upload_check(upload, extensions=ATTACHMENT_EXTENSIONS, max_bytes=ATTACHMENT_MAX_BYTES)
        return upload
