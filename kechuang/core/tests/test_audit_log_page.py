import io

from openpyxl import load_workbook

from kechuang.core.models import Job, JobState
from kechuang.core.services import audit_record


def test_filters(world, client_for):
    audit_record("organization.verified", by=world.users.bureau_officer, obj=world.orgs.enterprise)
    audit_record("auth.login", by=world.users.org_admin, obj=world.users.org_admin)
    page = client_for("bureau_admin").get("/audit/", {"action": "organization."}).context["page"]
    assert [event.action for event in page] == ["organization.verified"]
    page = client_for("bureau_admin").get("/audit/", {"actor": "企业管理员"}).context["page"]
    assert {event.action for event in page} == {"auth.login"}
    assert client_for("bureau_admin").get("/audit/", {"date_from": "not-a-date"}).status_code == 200


def test_excel_export_runs_as_a_job_with_progress(world, client_for):
    audit_record("test.formula", actor_label="=HYPERLINK(\"http://x\")", changes={"note": "+1"})
    client = client_for("bureau_admin")
    response = client.post("/audit/export/", {"action": "test."})
    job = Job.objects.get(owner=world.users.bureau_admin)
    assert job.state == JobState.SUCCEEDED and job.progress == 100
    assert f'hx-get="/jobs/{job.uuid}/status/"' not in response.content.decode()  # finished: no more polling
    download = client.get(f"/files/{job.result_attachment.uuid}/")
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = list(workbook.active.values)
    assert rows[0][3] == "操作"
    assert [row[3] for row in rows[1:]] == ["test.formula"]
    assert rows[1][2] == "'=HYPERLINK(\"http://x\")"
    assert client_for("bureau_officer").get(f"/files/{job.result_attachment.uuid}/").status_code == 404


def test_a_running_job_polls(world, client_for):
    job = Job.objects.create(kind="x", title="导出", owner=world.users.bureau_admin, state=JobState.RUNNING,
                             progress=40)
    html = client_for("bureau_admin").get(f"/jobs/{job.uuid}/status/").content.decode()
    assert f'hx-get="/jobs/{job.uuid}/status/"' in html and "40%" in html


def test_denied_export_has_no_side_effect(world, client_for):
    client_for("bureau_officer").post("/audit/export/")
    assert Job.objects.count() == 0
