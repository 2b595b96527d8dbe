"""Forms for planning a cycle: its start, focus, settings, look-fors, tool, people, pre-brief."""

from pathlib import PurePath
from typing import cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.datastructures import MultiValueDict

from opendoors.fields import IdChoiceField, IdsChoiceField
from opendoors.uploads import kinds_described, upload_check
from schools.models import Person

from .evidence_tool import tool_clean
from .models import Cycle, LookFor, PreBrief
from .structures import PRESETS, EvidencePart, Structure


class CycleStartForm(forms.Form):
    structure = forms.ChoiceField(
        choices=Structure.choices, widget=forms.RadioSelect, label="Structure"
    )
    title = forms.CharField(
        max_length=200, label="Title", help_text="e.g. “Grade 7 math rounds: student discourse”"
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


class FocusForm(forms.ModelForm):
    """The problem of practice with its five criteria beside it, and the theory of action.

    The data file is only taken in the kinds the page names, checked by content; a replaced
    or removed file is deleted, so MEDIA_ROOT holds nothing nobody can reach."""

    remove_data_file = forms.BooleanField(required=False, label="Remove the current file")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved_data_file = self.instance.data_file.name or ""
        self.saved_data_file_name = PurePath(self.saved_data_file).name

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


class SettingsForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = [
            "title",
            "stage",
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


class LookForForm(forms.ModelForm):
    class Meta:
        model = LookFor
        fields = ["text", "kind"]
        labels = {"text": "What would you see or hear students do, say or think?"}
        widgets = {"kind": forms.RadioSelect}

    def clean_text(self):
        return self.cleaned_data["text"].strip()


class MergeForm(forms.Form):
    keep = IdChoiceField(queryset=LookFor.objects.none(), label="Keep")
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


class EvidenceToolForm(forms.Form):
    """One fieldset per part: include it, its place, and its labels or prompts."""

    def __init__(self, *args, tool: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        current = {part["kind"]: (i, part) for i, part in enumerate(tool)}
        for kind, label in EvidencePart.choices:
            position, _ = current.get(kind, (len(EvidencePart.choices), {}))
            self.fields[f"{kind}_on"] = forms.BooleanField(
                required=False, label=f"Include: {label}", initial=kind in current
            )
            self.fields[f"{kind}_order"] = forms.IntegerField(
                min_value=1, max_value=20, initial=position + 1, label="Place in the tool"
            )
        tally = current.get(EvidencePart.TALLY, (0, {}))[1]
        self.fields["tally_title"] = forms.CharField(
            max_length=60, required=False, label="Tally title", initial=tally.get("title", "")
        )
        self.fields["tally_labels"] = forms.CharField(
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            label="Tally labels, one per line",
            initial="\n".join(tally.get("labels", [])),
        )
        prompts = current.get(EvidencePart.STUDENT_PROMPTS, (0, {}))[1]
        self.fields["student_prompts"] = forms.CharField(
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            label="Prompts about students, one per line",
            initial="\n".join(prompts.get("prompts", [])),
        )

    def parts(self) -> list[tuple[str, str]]:
        return [(kind, label) for kind, label in EvidencePart.choices]

    def clean(self):
        cleaned = super().clean()
        chosen = [
            (cleaned.get(f"{kind}_order") or 99, kind)
            for kind in EvidencePart.values
            if cleaned.get(f"{kind}_on")
        ]
        parts = []
        for _, kind in sorted(chosen):
            part = {"kind": kind}
            if kind == EvidencePart.TALLY:
                part |= {"title": cleaned.get("tally_title"), "labels": cleaned.get("tally_labels")}
            if kind == EvidencePart.STUDENT_PROMPTS:
                part["prompts"] = cleaned.get("student_prompts", "")
            parts.append(part)
        cleaned["tool"] = tool_clean(parts)
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
    """One change to one look-for: move it up or down, retire it or bring it back."""

    action = forms.ChoiceField(
        choices=[(a, a) for a in ("up", "down", "retire", "restore")],
        error_messages={"invalid_choice": "Choose up, down, retire or restore."},
    )
