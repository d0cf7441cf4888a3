"""Small-count suppression: what leaves the portal never shows a count from 1 to 4, nor
a figure from which one could be worked out."""

from datetime import date

import pytest
import report_data

from portal.domain.reports import catalogue as reports
from portal.domain.reports.interface import BuiltReport, Paragraph, Sum, Table, Text


def report_of(*tables, sums=(), texts=()) -> BuiltReport:
    return BuiltReport("Test", tuple(tables), sums=tuple(sums), texts=tuple(texts))


def cells(report: BuiltReport) -> list:
    return [value for table in report.tables for row in table.rows for value in row]


def test_counts_from_1_to_4_read_less_than_5():
    table = Table("T", ("Group", "People"), (("a", 0), ("b", 1), ("c", 4), ("d", 5)), count_columns=frozenset({1}))
    assert reports.suppress(report_of(table), 5).tables[0].rows == (("a", 0), ("b", "<5"), ("c", "<5"), ("d", 5))


def test_the_threshold_is_configurable():
    table = Table("T", ("Group", "People"), (("a", 4), ("b", 9)), count_columns=frozenset({1}))
    assert reports.suppress(report_of(table), 10).tables[0].rows == (("a", "<10"), ("b", "<10"))


def test_only_count_columns_are_suppressed():
    table = Table("T", ("Group", "Modules", "People"), (("a", 3, 3),), count_columns=frozenset({2}))
    assert reports.suppress(report_of(table), 5).tables[0].rows == (("a", 3, "<5"),)


def test_a_share_or_average_of_a_hidden_count_is_hidden_too():
    table = Table(
        "T",
        ("Group", "People", "Share", "Days", "Days each"),
        (("a", 3, 30.0, 42, 14.0),),
        count_columns=frozenset({1}),
        derived_columns=((2, 1), (3, 1), (4, 3)),
    )
    assert reports.suppress(report_of(table), 5).tables[0].rows == (("a", "<5", "..", "..", ".."),)


def test_a_count_that_would_give_a_small_one_away_by_subtraction_is_hidden():
    table = Table(
        "T",
        ("Group", "Women", "Men", "Not stated", "Total"),
        (("a", 3, 7, 0, 10),),
        count_columns=frozenset({1, 2, 3, 4}),
    )
    safe = reports.suppress(report_of(table, sums=[Sum.across(0, 0, 4, (1, 2, 3))]), 5)
    assert safe.tables[0].rows == (("a", "<5", "..", 0, 10),)


def test_when_every_other_part_is_zero_the_total_is_hidden():
    table = Table("T", ("Women", "Men", "Total"), ((3, 0, 3), (0, 0, 0)), count_columns=frozenset({0, 1, 2}))
    safe = reports.suppress(report_of(table, sums=[Sum.across(0, 0, 2, (0, 1))]), 5)
    assert safe.tables[0].rows == (("<5", 0, "<5"), (0, 0, 0))


def test_hiding_follows_sums_across_tables_until_nothing_can_be_worked_out():
    by_gender = Table(
        "By gender", ("Gender", "People"), (("Women", 3), ("Men", 8), ("Total", 11)), count_columns=frozenset({1})
    )
    by_region = Table("By region", ("Region", "Women"), (("A", 2), ("B", 1)), count_columns=frozenset({1}))
    sums = [Sum.down(0, 1, 2, (0, 1)), Sum((0, 0, 1), ((1, 0, 1), (1, 1, 1)))]
    safe = reports.suppress(report_of(by_gender, by_region, sums=sums), 5)
    assert [row[1] for row in safe.tables[0].rows] == ["<5", "..", 11]
    assert [row[1] for row in safe.tables[1].rows] == ["<5", "<5"]


def test_running_totals_are_left_out_with_what_could_be_worked_out_from_them(app):
    """Trained by the end of Q3 minus trained by the end of Q2 is trained in Q3: a
    running total is hidden whatever its size, and so is a figure computed from it; a
    sum whose only hidden part is a running total hides another part."""
    by_gender = Table(
        "Trained",
        ("Gender", "Trained", "Share of target", "Trained in the period"),
        (("Women", 12, 46.2, 2), ("Men", 9, 34.6, 0), ("Total", 21, 80.8, 2)),
        count_columns=frozenset({1, 3}),
        derived_columns=((2, 1),),
        running_columns=frozenset({1}),
    )
    groups = Table(
        "Groups",
        ("Group", "Women", "Men"),
        (("Referred", 8, 9), ("Trained", 12, 9)),
        count_columns=frozenset({1, 2}),
        running_rows=frozenset({1}),
    )
    sums = [Sum((1, 0, 2), ((1, 1, 2), (0, 1, 3)))]  # illustrative: its only hidden cell is a running total
    with app.test_request_context():
        safe = reports.suppress(report_of(by_gender, groups, sums=sums), 5)
        assert [row[1:] for row in safe.tables[0].rows] == [("..", "..", "<5"), ("..", "..", 0), ("..", "..", "<5")]
        assert safe.tables[1].rows == (("Referred", 8, ".."), ("Trained", "..", ".."))
        assert "Löpande summor" in str(safe.notes[-1])  # the default language is Swedish
        assert not any("Löpande summor" in str(note) for note in reports.suppress(report_of(), 5).notes)


def test_a_paragraph_about_a_small_group_is_left_out_and_the_omission_said():
    text = Text("Observations", (Paragraph("Women waited longer", (3, 12)), Paragraph("Offers", (8, 9))))
    safe = reports.suppress(report_of(texts=[text]), 5)
    assert [str(p.text) for p in safe.texts[0].paragraphs][0] == "Offers"
    assert "fewer than 5" in str(safe.texts[0].paragraphs[1].text)


def test_the_suppressed_report_says_what_the_marks_mean(app):
    with app.test_request_context():
        note = str(reports.suppress(report_of(), 5).notes[-1])
        assert "<5" in note and ".." in note  # the default language is Swedish: ”<5”


# On the real reports ---------------------------------------------------------------------


@pytest.fixture
def data(session, world):
    return report_data.build(session, world)


@pytest.mark.parametrize("identifier", ["3r", "esf-participants", "training", "lead-times"])
def test_no_report_exports_a_count_from_1_to_4_or_a_figure_that_gives_one_away(app, session, data, identifier):
    """Every declared sum of a suppressed report has no cell that is the only hidden one."""
    offered = app.extensions["portal.reports"].reports[identifier]
    with app.test_request_context():
        values, _errors = reports.parse(
            session,
            offered.report,
            {"period": "2026-Q2", "region": "fyrbodal"},
            reports.access.ReportScope(),
            date(2026, 11, 1),
        )
        exact = reports.build(session, offered, values)
        safe = reports.suppress(exact, 5)
    assert not any(
        reports.is_small(row[column], 5)
        for table in safe.tables
        for row in table.rows
        for column in table.count_columns
    )
    for declared in safe.sums:
        shown = [safe.tables[t].rows[r][c] for t, r, c in (declared.total, *declared.parts)]
        assert sum(value in ("<5", "..") for value in shown) != 1, declared
