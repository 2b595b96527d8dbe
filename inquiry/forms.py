"""Forms for planning a cycle: its start, focus, settings, look-fors, tool, people, pre-brief."""

from pathlib import PurePath
from typing import cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.datastructures import MultiValueDict

from opendoors.fields import IdChoiceField, IdsChoiceField
from opendoors.forms import TouchedFieldsMixin
from opendoors.uploads import kinds_described, upload_check
from schools.models import ImprovementGoal, Person

from .models import Cycle, LookFor, LookForKind, ParticipantRole, PreBrief, Stage
from .structures import PRESETS, EvidencePart, Structure


class CycleStartForm(TouchedFieldsMixin, forms.Form):
    structure = forms.ChoiceField(
        choices=Structure.choices, widget=forms.RadioSelect, label="Structure"
    )
    title = forms.CharField(
        max_length=200, label="Title", help_text="e.g. “Grade 7 math rounds: student discourse”"
    )
    problem_of_practice = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Problem of practice (optional)",
        help_text="You can write or change it on the Focus page.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.summaries = {key: preset.summary for key, preset in PRESETS.items()}


CRITERIA = [
    "focuses_on_instructional_core",
    "is_directly_observable",
    "is_actionable",
    "connects_to_strategy",
    "is_high_leverage",
]


DATA_FILE_EXTENSIONS = (".csv", ".xlsx", ".pdf", ".png", ".jpg", ".jpeg")
DATA_FILE_MAX_BYTES = 10 * 1024 * 1024


class FocusForm(TouchedFieldsMixin, forms.ModelForm):
    """The problem of practice with its five criteria beside it, and the theory of action.

    The data file is only taken in the kinds the page names, checked by content; a replaced
    or removed file is deleted, so MEDIA_ROOT holds nothing nobody can reach."""

    remove_data_file = forms.BooleanField(required=False, label="Remove the current file")

    improvement_goal = IdChoiceField(
        queryset=ImprovementGoal.objects.none(),
        required=False,
        label="The school's improvement goal it serves",
        empty_label="None of them",
        help_text="The school's leaders see which cycles serve each of its goals.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved_data_file = self.instance.data_file.name or ""
        self.saved_data_file_name = PurePath(self.saved_data_file).name
        # The school's current goals, and the one the cycle names even if archived since.
        goals = ImprovementGoal.objects.filter(school_id=self.instance.school_id).filter(
            Q(archived_at__isnull=True) | Q(pk=self.instance.improvement_goal_id or 0)
        )
        cast(IdChoiceField, self.fields["improvement_goal"]).queryset = goals

    def criteria(self):
        return [self[name] for name in CRITERIA]

    class Meta:
        model = Cycle
        fields = [
            "problem_of_practice",
            *CRITERIA,
            "theory_of_action",
            "informed_by",
            "data_file",
            "initiative",
            "improvement_goal",
        ]
        labels = {
            "focuses_on_instructional_core": "Focuses on the instructional core "
            "(teacher, students, content)",
            "is_directly_observable": "Is directly observable",
            "is_actionable": "Is actionable",
            "connects_to_strategy": "Connects to a broader strategy of improvement",
            "is_high_leverage": "Is high-leverage",
            "informed_by": "What informed it",
            "data_file": "Student performance data (optional file)",
            "initiative": "School initiative or instructional framework",
        }
        help_texts = {
            "problem_of_practice": "Something you care about that would make a difference for "
            "student learning if you improved it.",
            "theory_of_action": "If …, then …",
            "data_file": f"{kinds_described(DATA_FILE_EXTENSIONS)}, up to 10 MB. Only the "
            "cycle's participants can download it.",
        }
        widgets = {
            "problem_of_practice": forms.Textarea(attrs={"rows": 3}),
            "theory_of_action": forms.Textarea(attrs={"rows": 2}),
            "informed_by": forms.Textarea(attrs={"rows": 2}),
            "data_file": forms.FileInput(attrs={"accept": ",".join(DATA_FILE_EXTENSIONS)}),
        }

    def clean_data_file(self):
        upload = self.cleaned_data.get("data_file")
        if isinstance(upload, UploadedFile):
            upload_check(upload, extensions=DATA_FILE_EXTENSIONS, max_bytes=DATA_FILE_MAX_BYTES)
        return upload

    def save(self, commit: bool = True):
        if self.cleaned_data.get("remove_data_file") and not isinstance(
            self.cleaned_data.get("data_file"), UploadedFile
        ):
            self.instance.data_file = None
        cycle = super().save(commit=commit)
        replaced = self.saved_data_file
        if replaced and replaced != cycle.data_file.name:
            storage = cycle.data_file.storage
            transaction.on_commit(lambda: storage.delete(replaced))
        return cycle


STAGE_CHOICES = [("", "Follow the steps (the stage moves by itself)"), *Stage.choices]


class SettingsForm(forms.ModelForm):
    # Blank: the stage follows the steps (inquiry.stages); a stage chosen here stays until
    # the facilitator chooses "Follow the steps" again.
    stage_by_hand = forms.ChoiceField(
        required=False,
        label="Stage",
        choices=STAGE_CHOICES,
        help_text="The stage moves by itself as visits are published, held and debriefed and "
        "follow-ups come due. Choose a stage to set it by hand; it then stays until you choose "
        "“Follow the steps” again.",
    )

    class Meta:
        model = Cycle
        fields = [
            "title",
            "stage_by_hand",
            "grouping",
            "visit_minutes",
            "debrief_timing",
            "needs_problem_of_practice",
            "needs_theory_of_action",
            "needs_pre_brief",
            "needs_follow_up",
        ]
        labels = {
            "visit_minutes": "Minutes per classroom",
            "needs_problem_of_practice": "A problem of practice is required",
            "needs_theory_of_action": "A theory of action is required",
            "needs_pre_brief": "Hosts write a pre-brief",
            "needs_follow_up": "Participants get an email reminding them of their follow-up",
        }

    def clean_visit_minutes(self):
        minutes = self.cleaned_data["visit_minutes"]
        if not 5 <= minutes <= 240:
            raise forms.ValidationError("A visit lasts between 5 and 240 minutes.")
        return minutes


class StageForm(forms.Form):
    """The cycle overview's stage control: a stage set by hand, or "" to follow the steps."""

    stage = forms.ChoiceField(required=False, choices=STAGE_CHOICES, label="Stage, set by hand")


class LookForForm(forms.ModelForm):
    """A look-for's words and kind: to add one, or to change one in place.

    The kind is a required choice between the two kinds, starting on "oral" (what the seeds
    list first), never on a blank "---------". `position` is only posted by "Undo" after a
    removal, to put the look-for back where it was."""

    kind = forms.ChoiceField(
        choices=LookForKind.choices,
        widget=forms.RadioSelect,
        initial=LookForKind.ORAL,
        label="Kind",
    )
    position = forms.IntegerField(
        min_value=0, max_value=10_000, required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = LookFor
        fields = ["text", "kind"]
        labels = {"text": "What would you see or hear students do, say or think?"}

    def clean_text(self):
        return self.cleaned_data["text"].strip()


class MergeForm(forms.Form):
    # A radio list, no blank "---------" choice (a select without one would start on a choice
    # the coach did not make, and read the look-fors once more to decide on `required`).
    keep = IdChoiceField(
        queryset=LookFor.objects.none(), label="Keep", empty_label=None, widget=forms.RadioSelect
    )
    others = IdsChoiceField(
        queryset=LookFor.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Fold these into it",
    )
    text = forms.CharField(max_length=300, required=False, label="Reworded (optional)")

    def __init__(self, *args, cycle: Cycle, **kwargs):
        super().__init__(*args, **kwargs)
        active = cycle.look_fors.filter(retired=False)
        cast(IdChoiceField, self.fields["keep"]).queryset = active
        cast(IdsChoiceField, self.fields["others"]).queryset = active

    def clean(self):
        cleaned = super().clean()
        keep, others = cleaned.get("keep"), cleaned.get("others")
        if keep and others is not None and not [o for o in others if o != keep]:
            raise forms.ValidationError("Choose at least one other look-for to fold in.")
        return cleaned


class PeopleForm(forms.Form):
    observers = IdsChoiceField(
        queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    hosts = IdsChoiceField(
        queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    facilitators = IdsChoiceField(
        queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("observers", "hosts", "facilitators"):
            self.fields[name].queryset = staff

    def ticked(self) -> dict[str, list[int]]:
        """What was ticked, by role, to redraw the page after an error (junk is dropped)."""
        roles = {"observers": "observer", "hosts": "host", "facilitators": "facilitator"}
        posted = cast(MultiValueDict[str, str], self.data)  # request.POST: a bound form
        return {
            role: [int(v) for v in posted.getlist(name) if v.isdigit() and len(v) < 19]
            for name, role in roles.items()
        }


class PreBriefForm(forms.ModelForm):
    class Meta:
        model = PreBrief
        fields = ["instructional_goal", "expectations", "focus"]
        labels = {
            "instructional_goal": "My instructional goal for this lesson",
            "expectations": "What observers can expect (and how to be in the room)",
            "focus": "Where I would like you to focus",
        }
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


class LookForChangeForm(forms.Form):
    """One change to one look-for: move it up or down, remove it (retire it, if evidence was
    recorded against it), retire it or bring it back."""

    action = forms.ChoiceField(
        choices=[(a, a) for a in ("up", "down", "remove", "retire", "restore")],
        error_messages={"invalid_choice": "Choose up, down, remove, retire or restore."},
    )


class ToolPartForm(forms.Form):
    """One change to the evidence tool's parts, in place: add a part, save its labels or
    prompts, move it, remove it, or put a removed part back ("Undo")."""

    action = forms.ChoiceField(
        choices=[(a, a) for a in ("add", "save", "up", "down", "remove", "restore")],
        error_messages={"invalid_choice": "Choose add, save, up, down, remove or restore."},
    )
    index = forms.IntegerField(min_value=0, max_value=50, required=False)
    kind = forms.ChoiceField(choices=EvidencePart.choices, required=False)
    title = forms.CharField(max_length=60, required=False, label="Tally title")
    labels = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Tally labels, one per line",
    )
    prompts = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Prompts about students, one per line",
    )

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action in {"add", "restore"} and not cleaned.get("kind"):
            raise forms.ValidationError("Choose which part to add.")
        if action in {"save", "up", "down", "remove", "restore"} and cleaned.get("index") is None:
            raise forms.ValidationError("Choose a part of the tool.")
        return cleaned

    def part(self) -> dict:
        """The part as posted, for `part_clean` to check (it keeps only what its kind uses;
        saving a part keeps the kind it has)."""
        return {
            name: self.cleaned_data.get(name) for name in ("kind", "title", "labels", "prompts")
        }


class PersonPartForm(forms.Form):
    """One person's part switched on or off in place: "Eli observes", pressed or not."""

    person = IdChoiceField(queryset=Person.objects.none())
    role = forms.ChoiceField(choices=ParticipantRole.choices)
    on = forms.BooleanField(required=False)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        cast(IdChoiceField, self.fields["person"]).queryset = staff


class PeopleFilterForm(forms.Form):
    """The People page's filters, read from the query string (all optional)."""

    q = forms.CharField(max_length=100, required=False, label="Name")
    subject = forms.ChoiceField(required=False, label="Subject")
    grade = forms.ChoiceField(required=False, label="Grade")
    experience = forms.ChoiceField(
        required=False,
        label="Experience",
        choices=[("", "Anyone"), ("new", "New teachers"), ("experienced", "Experienced")],
    )
    free = forms.ChoiceField(required=False, label="Free in")
    part = forms.ChoiceField(
        required=False,
        label="Part in this cycle",
        choices=[("", "Anyone"), ("in", "In this cycle"), *ParticipantRole.choices],
    )

    def __init__(self, *args, subjects: list[str], grades: list[str], slots, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["subject"]).choices = [("", "Any subject")] + [
            (s, s) for s in subjects
        ]
        cast(forms.ChoiceField, self.fields["grade"]).choices = [("", "Any grade")] + [
            (g, g) for g in grades
        ]
        cast(forms.ChoiceField, self.fields["free"]).choices = [("", "Any period")] + [
            (str(slot.pk), str(slot)) for slot in slots
        ]

    def filters(self) -> dict[str, str]:
        """The valid filters; anything that does not parse is ignored, never an error page."""
        if self.is_valid():
            return {k: v for k, v in self.cleaned_data.items() if v}
        return {
            name: value
            for name, value in self.data.items()
            if name in self.fields and name not in self.errors and value
        }


class LeaderCycleFilterForm(forms.Form):
    """The filters of the school's cycles for its leaders, from the query string (all
    optional; anything that does not parse is left out, never an error page)."""

    stage = forms.ChoiceField(
        required=False, label="Stage", choices=[("", "Any stage"), *Stage.choices]
    )
    structure = forms.ChoiceField(
        required=False, label="Structure", choices=[("", "Any structure"), *Structure.choices]
    )
    goal = forms.ChoiceField(required=False, label="Improvement goal")

    def __init__(self, *args, goals: list[ImprovementGoal], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["goal"]).choices = [
            ("", "Any goal"),
            ("0", "No goal named"),
            *[(str(goal.pk), goal.title) for goal in goals],
        ]

    def filters(self) -> dict[str, str]:
        if self.is_valid():
            return {k: v for k, v in self.cleaned_data.items() if v}
        return {
            name: value
            for name, value in self.data.items()
            if name in self.fields and name not in self.errors and value
        }
