"""A form re-checked by htmx while it is filled in shows errors only under the fields the
person has left; a submit shows every error; and a re-check never saves."""

import pytest
from django import forms
from django.test import RequestFactory

from opendoors.forms import TouchedFieldsMixin, touched_fields


class LookForForm(TouchedFieldsMixin, forms.Form):
    text = forms.CharField()
    kind = forms.ChoiceField(
        choices=[("visual", "Visual"), ("oral", "Oral")], widget=forms.RadioSelect
    )
    when = forms.SplitDateTimeField(required=False)

    def clean(self):
        if self.cleaned_data.get("text") == "Teacher talks less":
            raise forms.ValidationError("A look-for is about students.")
        return self.cleaned_data


def post(data: dict, *, htmx: bool):
    headers = {"HX-Request": "true"} if htmx else {}
    request = RequestFactory().post("/cycles/1/look-fors/", data, headers=headers)
    # What django_htmx's middleware sets on every request.
    request.htmx = htmx  # type: ignore[attr-defined]
    return request


def test_a_recheck_shows_errors_only_under_fields_the_person_has_left():
    request = post({"text": "", "kind": "", "_touched": "text"}, htmx=True)
    form = LookForForm(request.POST, touched=touched_fields(request))
    assert not form.is_valid()
    assert form.errors == {"text": ["This field is required."]}
    assert "kind" in form.held_back


def test_an_untouched_form_rechecked_shows_no_error_yet_and_is_not_saved():
    request = post({"text": "", "kind": "", "_touched": ""}, htmx=True)
    form = LookForForm(request.POST, touched=touched_fields(request))
    assert form.errors == {}
    assert not form.is_valid()  # held-back errors still count: nothing is saved


def test_submitting_touches_every_field():
    request = post({"text": "", "kind": "", "_touched": "*"}, htmx=True)
    assert touched_fields(request) is None
    form = LookForForm(request.POST, touched=touched_fields(request))
    assert set(form.errors) == {"text", "kind"}


def test_a_full_page_post_shows_every_error():
    request = post({"text": "", "kind": "", "_touched": "text"}, htmx=False)
    assert touched_fields(request) is None
    assert set(LookForForm(request.POST, touched=None).errors) == {"text", "kind"}


def test_errors_of_the_whole_form_show_at_once():
    request = post({"text": "Teacher talks less", "kind": "", "_touched": "text"}, htmx=True)
    form = LookForForm(request.POST, touched=touched_fields(request))
    assert form.non_field_errors() == ["A look-for is about students."]
    assert "kind" not in form.errors


def test_a_field_drawn_as_several_inputs_counts_as_touched_by_any_of_them():
    request = post({"when_0": "not a date", "_touched": "when_0"}, htmx=True)
    form = LookForForm(request.POST, touched=touched_fields(request))
    assert set(form.errors) == {"when"}


def test_a_prefixed_form_matches_the_names_it_posts():
    request = post({"lf-text": "", "_touched": "lf-kind"}, htmx=True)
    form = LookForForm(request.POST, prefix="lf", touched=touched_fields(request))
    assert set(form.errors) == {"kind"}


def test_a_valid_recheck_is_valid():
    request = post({"text": "Students ask", "kind": "oral", "_touched": "text"}, htmx=True)
    assert LookForForm(request.POST, touched=touched_fields(request)).is_valid()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_form_without_touched_js_shows_every_error(method):
    request = getattr(RequestFactory(), method)("/", {"text": ""}, headers={"HX-Request": "true"})
    request.htmx = True
    assert touched_fields(request) is None


def test_the_field_component_marks_an_error_for_screen_readers():
    form = LookForForm({"text": "", "kind": "oral"})
    html = form["text"].as_field_group()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_text_error"' in html and 'id="id_text_error"' in html
    assert '<span class="required" aria-hidden="true"> *</span>' in html
    kind = LookForForm()["kind"].as_field_group()
    assert '<fieldset class="field"' in kind and '<div class="choices">' in kind
