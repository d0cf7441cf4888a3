"""The end report page: the supervisor writes it before the placement ends."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from portal.domain import vocabulary
from portal.domain.follow_up import end_reports
from portal.extensions import db
from portal.i18n import lazy_gettext as _l

from .forms import answer_field, choices, saved
from .pages import engine

blueprint = Blueprint("end_reports", __name__)


class EndReportForm(FlaskForm):
    """Parses only; the domain says what is missing (a goal's result, the next step …)."""

    can_do_now = TextAreaField(_l("What the person can do now"), validators=[Length(max=4000)])
    next_step = RadioField(_l("Recommended next step"), validators=[Optional()], validate_choice=False)
    outcome = SelectField(_l("Result at exit"), validators=[Optional()], validate_choice=False)
    goal_count = 0
    question_keys: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.next_step.choices = choices(vocabulary.NEXT_STEPS, sort=False)
        self.outcome.choices = choices(vocabulary.OUTCOMES, prompt=_l("Choose…"))

    def goal_fields(self):
        return [self[f"result_{index}"] for index in range(self.goal_count)]

    def draft(self) -> end_reports.EndReportDraft:
        return end_reports.EndReportDraft(
            results=[item.data for item in self.goal_fields()],
            can_do_now=self.can_do_now.data or "",
            next_step=self.next_step.data or "",
            outcome=self.outcome.data or "",
            answers={key: self[key].data for key in self.question_keys},
        )


def end_report_form(page: end_reports.EndReportPage) -> type[EndReportForm]:
    """The form with a result field per goal and the region's questions."""
    attributes = {
        f"result_{index}": RadioField(
            goal,
            choices=choices(vocabulary.GOAL_RESULTS, sort=False),
            validators=[Optional()],
            validate_choice=False,
        )
        for index, goal in enumerate(page.goals)
    }
    questions = {item.key: answer_field(item.field) for item in page.questions}
    return type(
        "RegionEndReportForm",
        (EndReportForm,),
        {**attributes, **questions, "goal_count": len(page.goals), "question_keys": tuple(questions)},
    )


@blueprint.route("/referrals/<int:referral_id>/end-report", methods=["GET", "POST"])
@login_required
def show(referral_id: int):
    page = end_reports.load(db.session, engine(), current_user, referral_id)
    report = page.report
    data = {}
    if report is not None:
        data = {f"result_{index}": result for index, result in enumerate(report.results)}
        data.update(can_do_now=report.can_do_now, next_step=report.next_step, outcome=report.outcome, **report.answers)
    form = end_report_form(page)(data=data)
    write = lambda: end_reports.write(db.session, engine(), current_user, referral_id, form.draft())  # noqa: E731
    if saved(form, write):
        flash(_l("The end report has been saved."), "success")
        return redirect(url_for("end_reports.show", referral_id=referral_id)), 303
    body = render_template("follow_up/end_report.html", page=page, form=form)
    db.session.commit()
    return body, 400 if form.is_submitted() else 200
