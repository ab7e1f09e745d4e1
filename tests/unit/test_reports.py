"""Reports and exports: a child's month, the home summary, the subject access
export, and files only their owner can read."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from dataclasses import dataclass

import pytest

from keywork_tui.schemas import (
    AllocationIn,
    AmendmentIn,
    ProgressIn,
    ReviewIn,
    SessionIn,
    SignificantEventIn,
    TargetIn,
)
from keywork_tui.services import PermissionDeniedError, ServiceError, clock, homes
from keywork_tui.services.actor import actor_for
from keywork_tui.services.child_file import plans_and_events as records
from keywork_tui.services.child_file import sessions
from keywork_tui.services.exchange import child_export, private_files, reports
from keywork_tui.services.policy import CHILDRENS_HOME
from keywork_tui.services.team import allocation

# A Monday: every week of March 2026 has ended.
NOW = dt.datetime(2026, 4, 20, 10, 0)
SCRIPT = "<script>alert(1)</script> scared about court"

pytestmark = pytest.mark.now(NOW)


def held(
    home, child, staff, at: dt.datetime, *, final_at: dt.datetime | None = None, **fields
) -> int:
    """A session held at `at`, finalised at `final_at` (a draft without one)."""
    data = SessionIn(child_id=child.id, staff_id=staff.id, held_at=at, **fields)
    with clock.frozen(final_at or at):
        return sessions.save_session(home.actor, data, finalise=final_at is not None).id


@dataclass
class Scene:
    kim: object
    pat: object
    amy: object
    ben: object
    amended: int


@pytest.fixture
def scene(home, add_staff, add_child) -> Scene:
    """Amy (key worker Kim since admission) and Ben (key worker Pat from 25 March).

    Amy in March 2026: sessions on Mon 2 (on time, target progress), Tue 10
    (written up late) and Tue 24 (a concern); none in the week of Mon 16; the
    week of Mon 30 is met by a session on 1 April. A session on 27 February
    and one on 1 April fall outside the month."""
    kim, pat = add_staff("Kim Key"), add_staff("Pat Park")
    amy, ben = add_child("Amy"), add_child("Ben")
    boss = home.actor
    allocation.allocate(
        boss, AllocationIn(child_id=amy.id, staff_id=kim.id, starts_on=dt.date(2026, 1, 5))
    )
    allocation.allocate(
        boss, AllocationIn(child_id=ben.id, staff_id=pat.id, starts_on=dt.date(2026, 3, 25))
    )
    target = records.add_target(
        boss,
        TargetIn(
            child_id=amy.id,
            text="Walk to school",
            set_on=dt.date(2026, 2, 1),
            review_by=dt.date(2026, 4, 30),
        ),
    )
    records.add_target(
        boss,
        TargetIn(
            child_id=ben.id,
            text="Tidy room",
            set_on=dt.date(2026, 3, 1),
            review_by=dt.date(2026, 4, 10),
        ),
    )
    day = dt.datetime
    held(home, amy, kim, day(2026, 2, 27, 16), final_at=day(2026, 2, 27, 18))
    march_2 = held(
        home,
        amy,
        kim,
        day(2026, 3, 2, 16),
        final_at=day(2026, 3, 3, 9),
        kind="formal",
        summary="Planned walks",
        progress=[ProgressIn(target_id=target, note="Walked twice with staff")],
    )
    held(home, amy, kim, day(2026, 3, 10, 16), final_at=day(2026, 3, 30, 9))
    held(
        home,
        amy,
        kim,
        day(2026, 3, 24, 16),
        final_at=day(2026, 3, 24, 18),
        concern=True,
        concern_text=SCRIPT,
        bedtime=True,
    )
    held(home, amy, kim, day(2026, 4, 1, 16), final_at=day(2026, 4, 1, 18))
    held(home, ben, pat, day(2026, 4, 2, 16), final_at=day(2026, 4, 2, 18))
    held(home, ben, pat, day(2026, 4, 15, 16))  # a draft still within its write-up time
    records.record_review(
        boss,
        ReviewIn(
            child_id=amy.id,
            document="support_plan",
            reviewed_on=dt.date(2026, 3, 5),
            outcome="no_change",
        ),
    )
    records.record_review(
        boss,
        ReviewIn(
            child_id=amy.id,
            document="safety_plan",
            reviewed_on=dt.date(2026, 2, 5),
            outcome="updated",
        ),
    )
    records.record_significant_event(
        boss,
        SignificantEventIn(
            child_id=amy.id, occurred_on=dt.date(2026, 3, 12), summary="Missing for two hours"
        ),
    )
    sessions.amend_session(
        boss,
        march_2,
        AmendmentIn(
            field="summary", corrected="Planned walks to school", reason="Left out the school"
        ),
    )
    return Scene(kim, pat, amy, ben, march_2)


def test_child_month_contents(home, scene) -> None:
    report = reports.child_month(home.actor, scene.amy.id, 2026, 3)
    assert (report.first, report.last) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert [s.held_at.day for s in report.sessions] == [2, 10, 24]
    assert [s.write_up for s in report.sessions] == ["on time", "late", "on time"]
    assert [s.held_at.day for s in report.late_write_ups] == [10]
    assert report.missed_weeks == [dt.date(2026, 3, 16)]
    assert report.key_workers == ["Kim Key"]
    [target] = report.targets
    assert [(p.held_on, p.note) for p in target.progress] == [
        (dt.date(2026, 3, 2), "Walked twice with staff")
    ]
    assert [(r.document, r.outcome) for r in report.reviews] == [("support_plan", "no_change")]
    assert [e.summary for e in report.significant_events] == ["Missing for two hours"]
    assert [(c.text, c.bedtime, c.seen) for c in report.concerns] == [(SCRIPT, True, False)]


def test_missed_weeks_only_count_ended_weeks_in_placement() -> None:
    first, last = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    admitted = dt.date(2026, 3, 4)  # the week of Mon 2 March is not a whole week in placement
    found = reports.missed_weeks(
        first, last, {dt.date(2026, 3, 11)}, admitted, None, dt.date(2026, 3, 29)
    )
    assert found == [dt.date(2026, 3, 16)]  # 23 March ends on the 29th: not over yet


def test_no_missed_weeks_without_a_weekly_rule(home, scene, admin) -> None:
    homes.set_policy(admin, {"rules": {"key_session": {"every": "2 weeks"}}})
    report = reports.child_month(home.actor, scene.amy.id, 2026, 3)
    assert (report.weekly_rule, report.missed_weeks) == (False, [])
    assert "not counted" in reports.to_markdown(report)


def test_markdown_and_html_hold_the_report(home, scene) -> None:
    report = reports.child_month(home.actor, scene.amy.id, 2026, 3)
    markdown = reports.to_markdown(report)
    for text in (
        "# Amy Child: 01 Mar 2026 to 31 Mar 2026",
        "## Sessions held (3)",
        "week of Mon 16 Mar",
        "## Write-ups late (1)",
        "Walked twice with staff",
        "support plan, no change",
        "Missing for two hours",
        "[bedtime]",
    ):
        assert text in markdown
    assert "\\<script>" in markdown  # literal text, never raw HTML to a renderer
    page = reports.to_html(report)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Walked twice with staff" in page and "Missing for two hours" in page
    assert "http" not in page  # nothing loaded from elsewhere


def test_review_report_covers_any_period(home, scene) -> None:
    report = reports.review_report(
        home.actor, scene.amy.id, dt.date(2026, 2, 1), dt.date(2026, 4, 19)
    )
    assert len(report.sessions) == 5
    assert [r.document for r in report.reviews] == ["safety_plan", "support_plan"]
    with pytest.raises(ServiceError, match="ends before it begins"):
        reports.review_report(home.actor, scene.amy.id, dt.date(2026, 3, 2), dt.date(2026, 3, 1))


def _only_support_plan_and_targets(admin) -> None:
    """Keep the overdue reviews countable by hand."""
    off = {
        r.slug: {"enabled": False}
        for r in CHILDRENS_HOME
        if r.completes == "review" and r.slug != "support_plan"
    }
    homes.set_policy(admin, {"rules": off})


def test_home_summary_per_key_worker(home, scene, admin) -> None:
    _only_support_plan_and_targets(admin)
    kim, pat = reports.home_summary(home.actor, NOW.date())
    assert (kim.name, kim.key_children) == ("Kim Key", 1)
    # Sessions in weeks ending Apr 20 back to Feb 2: 1 Apr, 24 Mar, 10 Mar, 27 Feb and 2 Mar
    # (one week), so 2 of the last 4 weeks and 4 of the last 12.
    assert (kim.held_4w, kim.due_4w, kim.held_12w, kim.due_12w) == (2, 4, 4, 12)
    assert (kim.write_ups_on_time, kim.write_ups_late) == (4, 1)
    # Pat is key worker from 25 March: the weeks ending 30 Mar, 6, 13 and 20 Apr.
    assert (pat.name, pat.held_4w, pat.due_4w, pat.held_12w, pat.due_12w) == (
        "Pat Park",
        2,
        4,
        2,
        4,
    )
    assert (pat.write_ups_on_time, pat.write_ups_late) == (1, 0)
    # Amy's Support Plan is due again since the significant event; Ben's was
    # never reviewed and his target's review date has passed.
    assert (kim.overdue_reviews, pat.overdue_reviews) == (1, 2)


def test_summary_csv(home, scene) -> None:
    rows = reports.home_summary(home.actor, NOW.date())
    lines = reports.summary_csv(rows).splitlines()
    assert lines[0] == (
        "staff_id,key_worker,key_children,held_4_weeks,due_4_weeks,"
        "held_12_weeks,due_12_weeks,write_ups_on_time,write_ups_late,"
        "overdue_reviews,sessions_12_weeks,views_recorded_12_weeks"
    )
    assert lines[1].startswith(f"{scene.kim.id},Kim Key,1,2,4,4,12,4,1,")
    assert lines[2].startswith(f"{scene.pat.id},Pat Park,1,2,4,2,4,1,0,")
    assert len(lines) == 3


def test_summary_csv_defuses_formulas() -> None:
    row = reports.WorkerSummary(1, '=HYPERLINK("x")', 0, 0, None, 0, None, 0, 0, 0)
    assert reports.summary_csv([row]).splitlines()[1].startswith('1,"\'=HYPERLINK(""x"")",0,0,,')


def test_the_summary_counts_sessions_that_record_the_childs_views(home, scene) -> None:
    day = dt.datetime
    held(home, scene.amy, scene.kim, day(2026, 4, 14, 16), views="I want to see my nan")
    held(home, scene.amy, scene.kim, day(2026, 4, 16, 16), views="   ", summary="Cooked")
    held(home, scene.amy, scene.kim, day(2026, 1, 20, 16), views="Too long ago to count")
    kim, pat = reports.home_summary(home.actor, NOW.date())
    assert (kim.sessions, kim.views_recorded) == (7, 1)
    assert (pat.sessions, pat.views_recorded) == (2, 0)
    kim_line = reports.summary_csv([kim]).splitlines()[1]
    assert kim_line.endswith(",7,1")


def test_export_child_holds_everything(home, scene) -> None:
    data = child_export.export_child(home.actor, scene.amy.id)
    json.loads(json.dumps(data))  # plain JSON: no dates left as objects
    assert data["child"]["first_name"] == "Amy"
    assert len(data["sessions"]) == 5
    amended = next(s for s in data["sessions"] if s["id"] == scene.amended)
    assert amended["summary"] == "Planned walks to school"
    assert [(a["original"], a["reason"]) for a in amended["amendments"]] == [
        ("Planned walks", "Left out the school")
    ]
    assert [p["note"] for p in amended["progress"]] == ["Walked twice with staff"]
    assert amended["held_at"] == "2026-03-02T16:00:00"
    actions = {e["action"] for e in data["audit_events"]}
    assert {"child.admit", "session.finalise", "session.amend", "review.record"} <= actions
    assert data["staff"][str(scene.kim.id)] == "Kim Key"
    assert [a["staff"] for a in data["allocations"]] == [scene.kim.id]
    assert len(data["reviews"]) == 2 and len(data["significant_events"]) == 1
    # Nothing about Ben.
    assert all(s["child"] == scene.amy.id for s in data["sessions"])


def test_export_is_audited(home, scene) -> None:
    child_export.export_child(home.actor, scene.amy.id)
    again = child_export.export_child(home.actor, scene.amy.id)
    assert "child.export" in {e["action"] for e in again["audit_events"]}


def test_reports_are_for_managers_and_the_provider_exports_for_managers(home, scene) -> None:
    kim = actor_for(scene.kim.id)
    calls = (
        (lambda: reports.child_month(kim, scene.amy.id, 2026, 3), "a manager, admin or provider"),
        (lambda: reports.home_summary(kim, NOW.date()), "a manager, admin or provider"),
        (lambda: child_export.export_child(kim, scene.amy.id), "a manager or admin"),
    )
    for call, who in calls:
        with pytest.raises(PermissionDeniedError, match=f"only {who} can"):
            call()


def test_a_child_of_another_home_is_not_found(home, scene) -> None:
    with pytest.raises(ServiceError, match="no child with id 999"):
        child_export.export_child(home.actor, 999)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_write_private_creates_0600(tmp_path) -> None:
    path = private_files.write_private(tmp_path / "r.md", "hello\n")
    assert _mode(path) == 0o600 and path.read_text() == "hello\n"


def test_write_private_refuses_an_existing_file_unless_told(tmp_path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("old")
    os.chmod(path, 0o644)
    with pytest.raises(ServiceError, match="already exists"):
        private_files.write_private(path, "new")
    assert path.read_text() == "old"
    private_files.write_private(path, "new", overwrite=True)
    assert path.read_text() == "new" and _mode(path) == 0o600


def test_write_private_never_follows_a_link(tmp_path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("keep")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    with pytest.raises(ServiceError, match="not a regular file"):
        private_files.write_private(link, "x", overwrite=True)
    assert target.read_text() == "keep"


def test_write_private_into_a_missing_folder(tmp_path) -> None:
    with pytest.raises(ServiceError, match="cannot write"):
        private_files.write_private(tmp_path / "no" / "r.md", "x")


def test_a_childs_report_holds_what_the_sessions_said(home, add_staff, add_child) -> None:
    from keywork_tui.schemas import ActionIn, AllocationIn, SessionIn, SignificantEventIn
    from keywork_tui.services import clock
    from keywork_tui.services.child_file import plans_and_events as records
    from keywork_tui.services.child_file import sessions
    from keywork_tui.services.exchange import reports
    from keywork_tui.services.team import allocation

    kim, amy = add_staff("Kim Key"), add_child("Amy")
    allocation.allocate(
        home.actor, AllocationIn(child_id=amy.id, staff_id=kim.id, starts_on=dt.date(2026, 1, 5))
    )
    held = dt.datetime(2026, 3, 4, 16)
    with clock.frozen(held):
        sessions.save_session(
            home.actor,
            SessionIn(
                child_id=amy.id,
                staff_id=kim.id,
                held_at=held,
                summary="Baked bread & talked",
                views="I want to <see> my brother more",
                actions=[ActionIn(text="Ask about family time", who="Kim Key")],
            ),
            finalise=True,
        )
        records.record_significant_event(
            home.actor,
            SignificantEventIn(
                child_id=amy.id,
                occurred_on=held.date(),
                kind="hospital",
                summary="Cut hand",
                told="dad",
            ),
        )
    report = reports.child_month(home.actor, amy.id, 2026, 3)
    page, notes = reports.to_html(report), reports.to_markdown(report)
    for text in (page, notes):
        assert "Baked bread" in text and "Ask about family time (Kim Key): not done yet" in text
        assert "Hospital: Cut hand" in text and "told: dad" in text
    assert "<dt>In their own words</dt><dd>I want to &lt;see&gt; my brother more" in page
    assert "<see>" not in page and "@media print" in page


def test_a_report_from_the_app_is_refused_beside_the_file_before_any_work(
    home, scene, tmp_path
) -> None:
    from keywork_tui.schemas import ChildReportIn
    from keywork_tui.services import FieldError

    wanted = ChildReportIn(
        child_id=scene.amy.id,
        first=dt.date(2026, 3, 1),
        last=dt.date(2026, 3, 31),
        path=str(tmp_path / "march.pdf"),
    )
    with pytest.raises(FieldError, match="must end in .md or .html") as refused:
        reports.write_child_report(home.actor, wanted)
    assert refused.value.field == "path"
    folder = tmp_path / "new" / "folder"
    wanted = wanted.model_copy(update={"path": str(folder / "march.md")})
    path, report = reports.write_child_report(home.actor, wanted)
    assert path.read_text(encoding="utf-8").startswith("# Amy Child: 01 Mar 2026")
    assert oct(folder.stat().st_mode & 0o777) == "0o700" and len(report.sessions) == 3
    with pytest.raises(FieldError, match="already exists"):
        reports.write_child_report(home.actor, wanted)


def test_the_offered_file_name_says_the_child_and_the_period() -> None:
    march = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert reports.report_file_name("Amy O'Neil-Child", *march) == "amy-o-neil-child-2026-03.html"
    assert reports.report_file_name("Амир Хан", dt.date(2026, 3, 2), dt.date(2026, 4, 1)) == (
        "амир-хан-2026-03-02-to-2026-04-01.html"
    )
    assert reports.report_file_name("../..", *march) == "child-2026-03.html"


# --- the export, streamed -------------------------------------------------------


def test_the_export_file_holds_what_the_export_says(home, scene, tmp_path) -> None:
    out = child_export.write_child_export(home.actor, scene.amy.id, tmp_path / "amy.json")
    written = json.loads(out.read_text())
    whole = child_export.export_child(home.actor, scene.amy.id)
    # The second export also finds the first one's audit event.
    assert len(whole.pop("audit_events")) == len(written.pop("audit_events")) + 1
    assert written == whole
    assert _mode(out) == 0o600


def _more_sessions(child_id: int, copies: int) -> None:
    """The child's sessions copied `copies` times over, as ten years would hold."""
    import models

    columns = [f.column_name for f in models.KeySession._meta.sorted_fields if f.name != "id"]
    names = ", ".join(f'"{c}"' for c in columns)
    for _ in range(copies):
        models.db.execute_sql(
            f"INSERT INTO key_session ({names}) SELECT {names} FROM key_session"
            f" WHERE child_id = {models.db.obj.param}",
            (child_id,),
        )


def _peak_of_export(home, child_id: int, path) -> int:
    import tracemalloc

    tracemalloc.start()
    try:
        child_export.write_child_export(home.actor, child_id, path, overwrite=True)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_export_is_written_as_it_is_read(home, scene, tmp_path) -> None:
    out = tmp_path / "amy.json"
    _more_sessions(scene.amy.id, 5)  # 5 sessions become 160
    _peak_of_export(home, scene.amy.id, out)  # the queries' first run, not counted
    small = _peak_of_export(home, scene.amy.id, out)
    _more_sessions(scene.amy.id, 3)  # and 1,280
    large = _peak_of_export(home, scene.amy.id, out)
    assert len(json.loads(out.read_text())["sessions"]) == 1280
    assert large < 1.5 * small, (small, large)


def test_an_export_that_fails_part_way_leaves_no_file_and_no_event(
    home, scene, tmp_path, monkeypatch
) -> None:
    def broken(child_id: int):
        yield {"at": "the first"}
        raise OSError("the disk is full")

    monkeypatch.setattr(child_export, "_audit_events", broken)
    out = tmp_path / "amy.json"
    with pytest.raises(OSError, match="disk is full"):
        child_export.write_child_export(home.actor, scene.amy.id, out)
    assert not out.exists()
    monkeypatch.undo()
    actions = {
        e["action"] for e in child_export.export_child(home.actor, scene.amy.id)["audit_events"]
    }
    assert "child.export" not in actions
