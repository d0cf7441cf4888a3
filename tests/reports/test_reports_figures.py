"""Each core report's figures, checked against values worked out by hand on the small
world of `report_data` (see its docstring for every referral, offer and placement)."""

from datetime import date

import pytest
import report_data
from report_data import build_report as build
from report_data import rows


@pytest.fixture
def app(make_app):
    return make_app(DEFAULT_LOCALE="en")


@pytest.fixture
def data(session, world):
    return report_data.build(session, world)


# Lead times ------------------------------------------------------------------------------


def test_lead_times_follow_the_placements_begun_through_steps_that_add_up(app, session, data):
    """Starts count from the beginning of the start day in Stockholm (22:00 UTC the day
    before, in summer), so each step to the start is half a day shorter than 10:00 to 10:00."""
    report = build(app, session, "lead-times", period="2026-Q2")
    assert rows(report.tables[0]) == [
        ("Submission → first offer", 5, 4.4, 4.0, 8.0),  # 2, 1, 4, 5, 10
        ("First offer → the offer accepted (declines and expiries)", 5, 0.8, 0.0, 2.4),  # 0, 4 (R2), 0, 0, 0
        ("Offer accepted: made → accepted", 5, 3.0, 2.0, 6.0),  # 2, 3, 1, 8, 1
        ("Acceptance → start", 5, 7.9, 9.5, 10.1),  # 4.5, 10.5, 9.5, 5.5, 9.5
        ("Submission → start (whole lead time)", 5, 16.1, 18.5, 19.7),  # 8.5, 18.5, 14.5, 18.5, 20.5
    ]
    assert round(sum(row[2] for row in rows(report.tables[0])[:4]), 1) == 16.1
    assert rows(report.tables[1]) == [(5, 1, 1, 0)]  # R2's first offer was declined


def test_lead_times_by_region_show_where_a_step_is_slow(app, session, data):
    report = build(app, session, "lead-times", period="2026-Q2")
    by_region = {(row[0], row[1]): row[2:] for row in rows(report.tables[2])}
    assert by_region[("Fyrbodal", "Submission → first offer")] == (4, 3.0, 3.0, 4.7)  # 1, 2, 4, 5
    assert by_region[("Skaraborg", "Submission → first offer")] == (1, 10.0, 10.0, 10.0)
    assert by_region[("Fyrbodal", "Submission → start (whole lead time)")] == (4, 15.0, 16.5, 18.5)


def test_lead_times_of_one_authority(app, session, data, world):
    report = build(app, session, "lead-times", period="2026-Q2", authority=str(world.social.id))
    assert rows(report.tables[0])[0] == ("Submission → first offer", 1, 10.0, 10.0, 10.0)
    assert [row[0] for row in rows(report.tables[3])] == [world.social.name] * 5


# Supervisor training ---------------------------------------------------------------------


def test_training_report_lists_cohorts_with_modules_completed_and_certified(app, session, data):
    report = build(app, session, "training", period="2026-Q2")
    assert rows(report.tables[0]) == [
        ("Omgång Fyrbodal 2026", "Fyrbodal", date(2026, 1, 10), date(2026, 5, 30), 3, 2, 2, 1),
        ("Omgång Skaraborg 2026", "Skaraborg", date(2026, 2, 1), date(2026, 4, 30), 2, 1, 1, 1),
    ]


def test_training_report_counts_supervisors_by_region_and_gender(app, session, data):
    report = build(app, session, "training", period="2026-Q2")
    assert rows(report.tables[1]) == [
        ("Fyrbodal", "Woman", 1, 1, 1, 1, 1),
        ("Fyrbodal", "Man", 1, 0, 0, 0, 0),
        ("Skaraborg", "Woman", 1, 1, 1, 1, 1),
    ]


def test_trained_and_certified_in_the_period_are_what_the_running_totals_gained_in_it(app, session, data):
    """A and C were trained and certified in Q2: in Q3 the running totals stay, the
    figures in the period are 0; those figures are what downloads carry."""
    report = build(app, session, "training", period="2026-Q3")
    assert rows(report.tables[1]) == [
        ("Fyrbodal", "Woman", 1, 1, 1, 0, 0),
        ("Fyrbodal", "Man", 1, 0, 0, 0, 0),
        ("Skaraborg", "Woman", 1, 1, 1, 0, 0),
    ]


def test_training_report_measures_trained_supervisors_against_the_target_of_26(app, session, data):
    report = build(app, session, "training", period="2026-Q2")
    assert rows(report.tables[2]) == [
        ("Fyrbodal", 2, 1, 3.8, 1),
        ("Skaraborg", 1, 1, 3.8, 1),
        ("Total", 3, 2, 7.7, 2),
    ]
    assert "26" in str(report.tables[2].title)


def test_training_before_certification_counts_as_in_training(app, session, data):
    report = build(app, session, "training", period="2026-Q1", region="fyrbodal")
    assert rows(report.tables[1]) == [("Fyrbodal", "Woman", 1, 0, 0, 0, 0), ("Fyrbodal", "Man", 1, 0, 0, 0, 0)]


# ESF participant report ------------------------------------------------------------------


def test_esf_report_counts_who_started_and_left_by_gender(app, session, data):
    report = build(app, session, "esf-participants", period="2026-Q2", region="fyrbodal")
    assert rows(report.tables[0]) == [("Woman", 2, 2), ("Man", 1, 0), ("Not stated", 1, 0), ("Total", 4, 2)]


def test_esf_report_breaks_starters_down_by_age_status_and_education(app, session, data):
    report = build(app, session, "esf-participants", period="2026-Q2", region="fyrbodal")
    started = {(row[0], row[1]): row[2:] for row in rows(report.tables[1])}
    assert started[("All participants", "")] == (2, 1, 1, 4)
    assert started[("Age at entry", "Under 18")] == (0, 0, 0, 0)
    assert started[("Age at entry", "18–29")] == (0, 1, 0, 1)
    assert started[("Age at entry", "30–54")] == (1, 0, 1, 2)
    assert started[("Age at entry", "55 and over")] == (1, 0, 0, 1)
    long_term = "Long-term unemployed (over 12 months; over 6 months under 25)"
    assert started[("Labour-market status at entry", long_term)] == (1, 0, 1, 2)
    assert started[("Labour-market status at entry", "Unemployed")] == (0, 1, 0, 1)
    inactive = "Inactive (neither working nor looking for work)"
    assert started[("Labour-market status at entry", inactive)] == (1, 0, 0, 1)
    assert started[("Education level at entry", "Compulsory school or less (ISCED 0–2)")] == (1, 0, 0, 1)
    tertiary = "University or higher vocational education (ISCED 5–8)"
    assert started[("Education level at entry", tertiary)] == (0, 0, 1, 1)
    assert started[("Education level at entry", "Not recorded")] == (1, 0, 0, 1)


def test_esf_report_gives_the_result_at_exit_of_those_who_left(app, session, data):
    report = build(app, session, "esf-participants", period="2026-Q2", region="fyrbodal")
    left = {(row[0], row[1]): row[2:] for row in rows(report.tables[2])}
    assert left[("All participants", "")] == (2, 0, 0, 2)
    assert left[("Result at exit", "In employment")] == (1, 0, 0, 1)
    assert left[("Result at exit", "Other")] == (1, 0, 0, 1)
    assert left[("Result at exit", "Job seeking")] == (0, 0, 0, 0)
    assert left[("Age at entry", "55 and over")] == (1, 0, 0, 1)


def test_esf_report_documents_its_columns(app, session, data):
    report = build(app, session, "esf-participants", period="2026-Q2")
    notes = " ".join(map(str, report.notes))
    assert "ISCED 2011" in notes and "Long-term unemployed" in notes and "Result at exit" in notes


# 3R --------------------------------------------------------------------------------------


def test_3r_representation_counts_women_men_and_not_stated_in_each_group(app, session, data):
    report = build(app, session, "3r", period="2026-Q2", region="fyrbodal")
    assert rows(report.tables[0]) == [
        ("Participants referred", 4, 1, 0, 5, 80.0, 20.0, 0.0),
        ("Participants placed", 2, 1, 1, 4, 50.0, 25.0, 25.0),
        ("Participants who completed", 1, 0, 0, 1, 100.0, 0.0, 0.0),
        ("Supervisors trained", 1, 0, 0, 1, 100.0, 0.0, 0.0),
        ("Supervisors certified", 1, 0, 0, 1, 100.0, 0.0, 0.0),
        ("Supervisors active", 1, 1, 0, 2, 50.0, 50.0, 0.0),
        ("Caseworkers referring", 1, 0, 0, 1, 100.0, 0.0, 0.0),
    ]


def test_3r_resources_give_placement_days_and_hours_by_gender(app, session, data):
    report = build(app, session, "3r", period="2026-Q2", region="fyrbodal")
    # R1 71 days × 20 h, R3 31 × 20 (women); R2 72 × 10 (man); R5 84 × 30 (not stated); hours = days × h / 7
    assert rows(report.tables[1]) == [
        ("Woman", 2, 102.0, 291.0, 51.0, 39.5),
        ("Man", 1, 72.0, 103.0, 72.0, 27.9),
        ("Not stated", 1, 84.0, 360.0, 84.0, 32.6),
        ("Total", 4, 258.0, 754.0, 64.5, 100.0),
    ]


def test_3r_resources_give_supervision_hours_by_the_supervisors_gender(app, session, data):
    report = build(app, session, "3r", period="2026-Q2", region="fyrbodal")
    assert rows(report.tables[2]) == [
        ("Woman", 1, 3, 394.0, 52.3),
        ("Man", 1, 1, 360.0, 47.7),
        ("Not stated", 0, 0, 0, None),
        ("Total", 2, 4, 754.0, 100.0),
    ]


def test_3r_resources_give_waiting_from_submission_to_start(app, session, data):
    report = build(app, session, "3r", period="2026-Q2", region="fyrbodal")
    assert rows(report.tables[3]) == [
        ("Woman", 2, 11.5, 11.5),  # 8.5 and 14.5 days: to the start of the start day in Stockholm
        ("Man", 1, 18.5, 18.5),
        ("Not stated", 1, 18.5, 18.5),
        ("Total", 4, 15.0, 16.5),
    ]


def test_3r_resources_give_offers_declined_and_expired_by_gender(app, session, data):
    report = build(app, session, "3r", period="2026-Q2", region="fyrbodal")
    assert rows(report.tables[4]) == [
        ("Woman", 3, 0, 1, 0.0, 33.3),
        ("Man", 2, 1, 0, 50.0, 0.0),
        ("Not stated", 0, 0, 0, None, None),
        ("Total", 5, 1, 1, 20.0, 20.0),
    ]


def test_3r_observations_name_the_differences_between_women_and_men(app, session, data):
    report = build(app, session, "3r", period="2026-Q2", region="fyrbodal")
    observations = [str(paragraph.text) for paragraph in report.texts[0].paragraphs]
    assert (
        "Men waited 61% longer for a placement than women in Fyrbodal in Q2 2026 (18.5 against 11.5 days on "
        "average)." in observations
    )
    assert (
        "Men's placements ran 41% more days in the period than women's (72.0 against 51.0 days per placement)."
        in observations
    )
    assert "Women were 80% of the participants referred but 50% of those placed." in observations
    assert "Offers for women were declined in 0% of cases, offers for men in 50%." in observations
    assert not any("active supervisors" in text for text in observations)  # 50% and 50%


def test_3r_says_when_no_analysis_is_written_yet(app, session, data):
    report = build(app, session, "3r", period="2026-Q2", region="fyrbodal")
    assert "has not written an analysis" in str(report.texts[1].paragraphs[0].text)


def test_3r_runs_the_same_queries_whatever_the_data_size(app, session, world):
    """Both builds are cold (the data changed in the closed quarter between them), so each
    also looks its figures up and stores them (`reports.stored`): one statement, and one
    short transaction of its own."""
    from queries import counting_queries

    with counting_queries(app) as empty:
        build(app, session, "3r", period="2026-Q2", region="fyrbodal")
    report_data.build(session, world)
    with counting_queries(app) as full:
        build(app, session, "3r", period="2026-Q2", region="fyrbodal")
    assert len(full) == len(empty) <= 15


def test_3r_resources_use_the_attendance_recorded_where_there_is_some(app, session, data):
    """R2 (the man, 10 h a week planned) has two days recorded in the quarter: 8 hours
    present and a day ill; his 103 planned hours give way to the 8 recorded, the others
    keep their planned ones, and the tables say so."""
    from decimal import Decimal

    from sqlalchemy import select

    from portal.models import AttendanceDay, Placement

    placement = session.scalar(select(Placement).where(Placement.hours_per_week == 10))
    session.add_all(
        [
            AttendanceDay(placement_id=placement.id, day=date(2026, 5, 4), hours=Decimal(8)),
            AttendanceDay(placement_id=placement.id, day=date(2026, 5, 5), absence_reason="ill"),
        ]
    )
    session.commit()
    report = build(app, session, "3r", period="2026-Q2", region="fyrbodal")
    assert rows(report.tables[1])[1] == ("Man", 1, 72.0, 8.0, 72.0, 27.9)
    assert rows(report.tables[2])[0] == ("Woman", 1, 3, 299.0, 45.4)
    assert any("recorded" in str(note) for note in report.tables[1].notes + report.tables[2].notes)


def test_a_difference_is_notable_from_ten_per_cent_either_way():
    from portal.builtin.reports.gender_equality_realia import _apart, _relative

    assert _relative(11, 10) == (10, True) and _relative(10, 11) == (10, False)
    assert _relative(10.4, 10) is None and _relative(0, 5) is None and _relative(None, 5) is None
    assert _apart(60, 50) and _apart(40, 50) and not _apart(59.5, 50) and not _apart(None, 50)


def test_3r_figures_follow_a_participant_whose_gender_is_corrected(app, session, data, world):
    """R1, recorded a woman, is corrected to a man: every figure drawn from her referral,
    offer and placement moves from the women's column to the men's (the report reads the
    copy of the gender on the referral, corrected in the same step)."""
    from portal.domain.participants import registration

    person = data.referrals["R1"].participant
    details = registration.ParticipantDetails(
        given_name=person.given_name,
        family_name=person.family_name,
        municipality_id=person.municipality_id,
        gender="man",
        labour_market_status=person.labour_market_status,
        education_level=person.education_level,
    )
    registration.update(session, world.caseworker, person, details)
    session.commit()
    report = build(app, session, "3r", period="2026-Q2", region="fyrbodal")
    assert rows(report.tables[0])[:3] == [
        ("Participants referred", 3, 2, 0, 5, 60.0, 40.0, 0.0),
        ("Participants placed", 1, 2, 1, 4, 25.0, 50.0, 25.0),
        ("Participants who completed", 0, 1, 0, 1, 0.0, 100.0, 0.0),
    ]
    assert rows(report.tables[1])[:2] == [
        ("Woman", 1, 31.0, 89.0, 31.0, 12.0),
        ("Man", 2, 143.0, 306.0, 71.5, 55.4),
    ]
    assert rows(report.tables[3])[:2] == [("Woman", 1, 14.5, 14.5), ("Man", 2, 13.5, 13.5)]
    assert rows(report.tables[4])[:2] == [("Woman", 2, 0, 1, 0.0, 50.0), ("Man", 3, 1, 0, 33.3, 0.0)]
