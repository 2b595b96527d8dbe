"""The style page shows every component of the design system, live, with the markup to copy,
to anyone signed in; its example form re-checks only the fields a person has touched."""

import pytest

from opendoors.style_guide import SPECIMENS

pytestmark = pytest.mark.django_db

# A mark of each component in the page as drawn.
COMPONENTS = {
    "page header": '<header class="page-header">',
    "primary button": 'class="button primary"',
    "danger button": 'class="button danger"',
    "quiet button": 'class="button quiet"',
    "small button": 'class="button small"',
    "link-like button": 'class="link"',
    "a field": '<div class="field"',
    "choices": '<div class="choices">',
    "file input": 'type="file"',
    "cards": '<ul class="cards">',
    "card": '<article class="card">',
    "table": '<table class="data">',
    "bar chart": '<table class="data bar-chart">',
    "share bar": '<figure class="share-bar">',
    "empty state": '<div class="empty">',
    "confirmation": '<details class="confirm">',
    "undo": '<div class="undo" role="status">',
    "badges": 'class="badge done"',
    "status steps": '<ol class="status-steps">',
    "messages": '<ul class="messages">',
    "an error held back": 'aria-invalid="true"',
}


def test_the_style_page_draws_every_component_with_its_markup(client, personas):
    client.force_login(personas.teacher)
    html = client.get("/style/").content.decode()
    missing = [name for name, mark in COMPONENTS.items() if mark not in html]
    assert not missing, missing
    for specimen in SPECIMENS:
        assert f'id="{specimen.slug}"' in html
    # The snippets are the examples' own templates, shown escaped.
    assert "{% include &quot;components/bar_chart.html&quot;" in html


def test_the_touched_example_shows_the_touched_fields_error_only(client, personas):
    client.force_login(personas.teacher)
    page = client.get("/style/")
    touched = page.context["touched_form"]
    assert set(touched.errors) == {"minutes"} and "title" in touched.held_back


def test_the_example_form_rechecked_by_htmx_holds_back_untouched_fields(client, personas):
    client.force_login(personas.teacher)
    data = {"title": "", "minutes": "3", "_touched": "minutes"}
    page = client.post("/style/", data, headers={"HX-Request": "true"})
    assert set(page.context["form"].errors) == {"minutes"}
    submitted = client.post("/style/", {**data, "_touched": "*"}, headers={"HX-Request": "true"})
    assert set(submitted.context["form"].errors) == {"title", "minutes", "structure"}


def test_the_bar_chart_is_a_table_with_the_numbers_in_text(client, personas):
    client.force_login(personas.teacher)
    html = client.get("/style/").content.decode()
    assert '<th scope="row">Students ask each other questions</th>' in html
    assert '<rect width="100" height="10"/></svg><span class="num">12</span>' in html
    assert '<rect width="0" height="10"/></svg><span class="num">0</span>' in html
    # The share bar's parts start where the one before ends.
    assert 'class="students" x="38" width="54"' in html and 'class="silence" x="92"' in html
