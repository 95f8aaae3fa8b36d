import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from kechuang.achievements.choices import AchievementStatus
from kechuang.achievements.importers import achievement_spec, import_achievements
from kechuang.achievements.models import Achievement
from kechuang.achievements.selectors import SearchParams, achievement_search
from kechuang.achievements.tests.factories import make_achievement
from kechuang.core.importing import template_workbook
from kechuang.core.models import Job, JobState

HEADERS = ["成果名称", "成果简介", "成果单位统一社会信用代码", "成果形式", "转化方式", "价格面议",
           "转化价格（万元）", "专利号", "完成人", "联系电话"]


def sheet(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data, name="成果.xlsx"):
    return SimpleUploadedFile(name, data)


def good_row(world, name="钠离子电池正极材料", **overrides):
    row = {"成果名称": name, "成果简介": "层状氧化物正极，循环2000次。",
           "成果单位统一社会信用代码": world.orgs.institute.uscc, "成果形式": "发明专利", "转化方式": "许可、合作开发",
           "价格面议": "否", "转化价格（万元）": 150, "专利号": "ZL201710601862.3", "完成人": "刘洋:负责人、王芳",
           "联系电话": "13912345678"} | overrides
    return [row[header] for header in HEADERS]


def test_a_bureau_import_publishes_and_indexes_every_row(world):
    data = sheet([good_row(world), good_row(world, "钾离子电池电解液")])
    result = import_achievements(uploaded=upload(data), by=world.users.bureau_officer, dry_run=False)
    assert (result.rows, result.created, result.errors) == (2, 2, [])
    record = Achievement.objects.get(name="钠离子电池正极材料")
    assert (record.owner, record.status, record.price, record.transfer_modes) == (
        world.orgs.institute, AchievementStatus.PUBLISHED, 150, ["joint", "licence"])
    assert list(record.completers.values_list("name", "role")) == [("刘洋", "负责人"), ("王芳", "")]
    found = achievement_search(world.users.enterprise_user, SearchParams(query="电解液"))
    assert [a.name for a in found.page.object_list] == ["钾离子电池电解液"]


def test_a_member_import_goes_to_review_for_its_own_organisation(world):
    data = sheet([good_row(world, **{"成果单位统一社会信用代码": None})])
    result = import_achievements(uploaded=upload(data), by=world.users.institute_user, dry_run=False)
    assert result.created == 1
    assert Achievement.objects.get().status == AchievementStatus.SUBMITTED
    other = sheet([good_row(world, **{"成果单位统一社会信用代码": world.orgs.enterprise.uscc})])
    refused = import_achievements(uploaded=upload(other), by=world.users.institute_user, dry_run=False)
    assert [e.column for e in refused.errors] == ["成果单位统一社会信用代码"]
    assert Achievement.objects.count() == 1


def test_dry_run_writes_nothing(world):
    result = import_achievements(uploaded=upload(sheet([good_row(world)])), by=world.users.bureau_officer,
                                 dry_run=True)
    assert (result.rows, result.created, result.errors) == (1, 0, [])
    assert not Achievement.objects.exists()


def test_one_bad_row_and_nothing_is_written(world):
    rows = [good_row(world), good_row(world, "坏行", **{"成果形式": "论文", "专利号": "ZL201710601862.4",
                                                        "转化价格（万元）": "=1+1", "联系电话": "12345"})]
    result = import_achievements(uploaded=upload(sheet(rows)), by=world.users.bureau_officer, dry_run=False)
    assert result.created == 0 and not Achievement.objects.exists()
    assert {(e.row, e.column) for e in result.errors} == {
        (3, "专利号"), (3, "成果形式"), (3, "联系电话"), (3, "转化价格（万元）")}
    assert "不是列表中的选项" in next(e.message for e in result.errors if e.column == "成果形式")


@pytest.mark.parametrize(("headers", "message"), [
    (["成果名称", "成果简介", "成果形式", "备注"], "未知的列：备注"),
    (["成果名称", "成果形式"], "缺少必填列：成果简介"),
])
def test_unknown_or_missing_columns_are_refused(world, headers, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        import_achievements(uploaded=upload(sheet([["a"] * len(headers)], headers)), by=world.users.bureau_officer,
                            dry_run=True)


def test_content_that_is_not_xlsx_is_refused_whatever_its_name(world):
    from django.core.exceptions import ValidationError

    for data in (b"%PDF-1.4 not a sheet", b"name,summary\n1,2\n", b"\xd0\xcf\x11\xe0old xls"):
        with pytest.raises(ValidationError):
            import_achievements(uploaded=upload(data), by=world.users.bureau_officer, dry_run=True)
    assert not Achievement.objects.exists()


def test_zip_bombs_and_oversized_files_are_refused(world, settings):
    from django.core.exceptions import ValidationError

    settings.UPLOAD_MAX_UNPACKED_BYTES = 2_000_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 10_000_000)
    with pytest.raises(ValidationError, match="解压后超过"):
        import_achievements(uploaded=upload(buffer.getvalue()), by=world.users.bureau_officer, dry_run=True)
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="超过大小上限"):
        import_achievements(uploaded=upload(sheet([good_row(world)] * 20)), by=world.users.bureau_officer,
                            dry_run=True)


def test_the_template_has_notes_and_drop_downs(db):
    workbook = load_workbook(io.BytesIO(template_workbook(achievement_spec())))
    sheet_ = workbook["科技成果"]
    headers = [cell.value for cell in sheet_[1]]
    assert headers[:2] == ["成果名称 *", "成果简介 *"]
    assert sheet_["B1"].comment.text == "不超过500字，公开展示"
    validated = {str(v.sqref).split(":")[0] for v in sheet_.data_validations.dataValidation}
    for title in ("成果形式 *", "高新技术领域", "所属行业", "产业链", "技术就绪度", "价格面议"):
        column = headers.index(title)
        assert f"{chr(ord('A') + column)}2" in validated, title
    options = workbook["选项"]
    assert options.sheet_state == "hidden"
    assert "发明专利" in [cell.value for cell in options["A"]]


def test_export_neutralises_formulas_and_round_trips(world, tmp_path):
    make_achievement(world, name="=HYPERLINK(\"http://evil\")", summary="+SUM(A1)", keywords="@cmd",
                     status=AchievementStatus.PUBLISHED)
    path = tmp_path / "out.xlsx"
    call_command("export_xlsx", "achievements", str(path))
    row = [cell.value for cell in load_workbook(path).worksheets[0][2]]
    assert row[0] == "'=HYPERLINK(\"http://evil\")" and row[1] == "'+SUM(A1)" and row[3] == "'@cmd"
    call_command("import_xlsx", "achievements", str(path), "--dry-run")


def test_the_command_refuses_with_a_report(world, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(sheet([good_row(world, **{"成果形式": "论文"})]))
    report = tmp_path / "errors.xlsx"
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_xlsx", "achievements", str(path), "--errors", str(report))
    rows = list(load_workbook(report).active.values)
    assert rows[0] == ("行", "列", "问题") and rows[1][:2] == (2, "成果形式")
    assert not Achievement.objects.exists()


def test_the_web_import_runs_as_a_job_with_a_dry_run_first(world, client_for, django_capture_on_commit_callbacks):
    client = client_for("bureau_officer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/import/achievements/", {"file": upload(sheet([good_row(world)])), "dry_run": "on"})
    job = Job.objects.get(owner=world.users.bureau_officer)
    assert response["Location"] == f"/jobs/{job.uuid}/"
    assert (job.state, job.details["rows"], job.details["dry_run"]) == (JobState.SUCCEEDED, 1, True)
    assert not Achievement.objects.exists()
    page = client.get(f"/jobs/{job.uuid}/").content.decode()
    assert 'data-testid="commit-import"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/import/achievements/", {"upload": job.details["upload"]})
    assert Achievement.objects.count() == 1
    commit = Job.objects.filter(owner=world.users.bureau_officer).latest("id")
    assert commit.details["created"] == 1 and commit.state == JobState.SUCCEEDED


def test_a_failed_web_import_offers_the_error_report(world, client_for, django_capture_on_commit_callbacks):
    client = client_for("bureau_officer")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/import/achievements/", {"file": upload(sheet([good_row(world, **{"成果形式": "论文"})]))})
    job = Job.objects.get()
    assert job.state == JobState.FAILED and job.result_attachment.purpose == "error_report"
    report = client.get(f"/files/{job.result_attachment.uuid}/")
    rows = list(load_workbook(io.BytesIO(b"".join(report.streaming_content))).active.values)
    assert rows[1][1] == "成果形式"
    assert client_for("institute_user").get(f"/files/{job.result_attachment.uuid}/").status_code == 404


def test_the_upload_form_refuses_other_content(world, client_for):
    response = client_for("bureau_officer").post("/import/achievements/", {"file": upload(b"%PDF-1.4 x")})
    assert response.status_code == 200 and "不接受该类型" in response.content.decode()
    assert not Job.objects.exists()


def test_export_of_a_filtered_list_masks_phones_for_non_bureau(world, client_for, django_capture_on_commit_callbacks):
    make_achievement(world, name="电池成果", status=AchievementStatus.PUBLISHED)
    make_achievement(world, name="水稻成果", summary="耐盐碱品种。", keywords="水稻",
                     status=AchievementStatus.PUBLISHED)
    client = client_for("enterprise_user")
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/export/achievements/", {"query": "电池"})
    job = Job.objects.get()
    rows = list(load_workbook(io.BytesIO(b"".join(
        client.get(f"/files/{job.result_attachment.uuid}/").streaming_content))).worksheets[0].values)
    assert [row[0] for row in rows[1:]] == ["电池成果"]
    phone_column = [column.header for column in achievement_spec().columns].index("联系电话")
    assert rows[1][phone_column] == "139****5678"
