"""The student work or data a team's protocol discusses: the recorder or a facilitator attaches
it to the run, the team's members download it, nobody else does (not even the principal, who
sees that the meeting was held)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from teams.tests.factories import make_protocol_run, make_team, make_team_meeting

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% student lab reports\n"


@pytest.fixture
def run(personas):
    team = make_team(
        personas.school,
        "Grade 6",
        members=[personas.teacher, personas.colleague],
        facilitators=[personas.coach],
    )
    return make_protocol_run(
        make_team_meeting(team), by=personas.coach, recorder=personas.colleague
    )


def test_the_recorder_attaches_the_work_and_the_team_downloads_it(client, personas, run):
    client.force_login(personas.colleague)  # the recorder
    page = client.get(f"/runs/{run.pk}/").content.decode()
    assert "Nothing attached yet." in page and 'enctype="multipart/form-data"' in page
    response = client.post(
        f"/runs/{run.pk}/attachment/", {"file": SimpleUploadedFile("Lab reports.pdf", PDF)}
    )
    assert response["Location"] == f"/runs/{run.pk}/#attachment"
    client.force_login(personas.teacher)  # a member
    page = client.get(f"/runs/{run.pk}/").content.decode()
    assert "Download “Lab reports.pdf”" in page
    assert "Replace the file" not in page  # a member who neither leads nor records
    download = client.get(f"/runs/{run.pk}/attachment/")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="Lab reports.pdf"'
    assert client.post(f"/runs/{run.pk}/attachment/", {}).status_code == 403
    client.force_login(personas.principal)  # off the team: the meeting was held, no more
    assert client.get(f"/runs/{run.pk}/").status_code == 200
    assert client.get(f"/runs/{run.pk}/attachment/").status_code == 404


def test_a_file_of_a_kind_the_runner_does_not_take_is_refused_with_a_message(client, personas, run):
    client.force_login(personas.coach)
    page = client.post(
        f"/runs/{run.pk}/attachment/",
        {"file": SimpleUploadedFile("notes.html", b"<p>hi</p>")},
        follow=True,
    ).content.decode()
    assert "notes.html is not a kind of file this page takes" in page
    run.refresh_from_db()
    assert not run.attachment
