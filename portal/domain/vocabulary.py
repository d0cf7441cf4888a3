"""The fixed vocabularies the portal speaks: codes stored in the database, labels shown.

Codes are stable English identifiers; labels go through Babel (Swedish first).
Matching compares a participant's needs with a supervisor's specialties and a
participant's interests with a cooperative's trades, so those pairs share one list.
"""

from __future__ import annotations

from portal.i18n import lazy_gettext as _l

NEEDS = {
    "mental_health": _l("Mental ill-health"),
    "intellectual_disability": _l("Intellectual disability"),
    "neuropsychiatric": _l("Neuropsychiatric disability"),
    "physical_disability": _l("Physical disability"),
    "substance_use": _l("Substance-use history"),
    "criminal_record": _l("Criminal record"),
    "long_term_unemployment": _l("Long-term unemployment"),
    "language_support": _l("Language support"),
}

LANGUAGES = {
    "sv": _l("Swedish"),
    "en": _l("English"),
    "ar": _l("Arabic"),
    "so": _l("Somali"),
    "fa": _l("Persian"),
    "ti": _l("Tigrinya"),
    "bs": _l("Bosnian/Croatian/Serbian"),
    "pl": _l("Polish"),
    "fi": _l("Finnish"),
    "sgn": _l("Swedish Sign Language"),
}

TRADES = {
    "cafe": _l("Café and restaurant"),
    "catering": _l("Catering"),
    "cleaning": _l("Cleaning and property care"),
    "gardening": _l("Gardening and green spaces"),
    "carpentry": _l("Carpentry and repairs"),
    "textiles": _l("Textiles and sewing"),
    "second_hand": _l("Second-hand shop"),
    "recycling": _l("Recycling"),
    "logistics": _l("Warehouse and deliveries"),
    "office": _l("Office and administration"),
    "animal_care": _l("Animal care"),
    "bakery": _l("Bakery"),
}

ACCESSIBILITY = {
    "step_free": _l("Step-free access"),
    "hearing_loop": _l("Hearing loop"),
    "quiet_room": _l("Quiet room"),
    "adapted_toilet": _l("Accessible toilet"),
    "public_transport": _l("Near public transport"),
    "flexible_hours": _l("Flexible hours"),
}

GENDERS = {
    "woman": _l("Woman"),
    "man": _l("Man"),
    "not_stated": _l("Not stated"),
}

LABOUR_MARKET_STATUSES = {
    "unemployed": _l("Unemployed"),
    "long_term_unemployed": _l("Long-term unemployed (over 12 months; over 6 months under 25)"),
    "inactive": _l("Inactive (neither working nor looking for work)"),
    "employed": _l("Employed (including self-employed)"),
}

EDUCATION_LEVELS = {
    "isced_0_2": _l("Compulsory school or less (ISCED 0–2)"),
    "isced_3_4": _l("Upper secondary school (ISCED 3–4)"),
    "isced_5_8": _l("University or higher vocational education (ISCED 5–8)"),
}

ROLES = {
    "caseworker": _l("Caseworker"),
    "supervisor": _l("Supervisor"),
    "coordinator": _l("Coordinator"),
    "admin": _l("Administrator"),
}

AUTHORITY_KINDS = {
    "forsakringskassan": _l("Swedish Social Insurance Agency"),
    "arbetsformedlingen": _l("Swedish Public Employment Service"),
    "social_services": _l("Municipal social services"),
    "labour_market_unit": _l("Municipal labour-market unit"),
    "health_care": _l("Regional health care"),
}

PLACEMENT_STATES = {
    "planned": _l("Planned"),
    "active": _l("Running"),
    "completed": _l("Completed"),
    "discontinued": _l("Discontinued"),
    "cancelled": _l("Cancelled before the start"),
}

PLAN_STATES = {
    "draft": _l("Draft"),
    "submitted": _l("Waiting for approval"),
    "approved": _l("Approved"),
    "returned": _l("Sent back"),
}

MEETING_KINDS = {
    "start": _l("Start meeting"),
    "three_party": _l("Three-party meeting"),
    "follow_up": _l("Follow-up meeting"),
}

MEETING_ATTENDEES = {
    "participant": _l("The participant"),
    "caseworker": _l("The caseworker"),
    "supervisor": _l("The supervisor"),
    "coordinator": _l("The region's coordinator"),
}

GOAL_RESULTS = {
    "achieved": _l("Achieved"),
    "partly": _l("Partly achieved"),
    "not_achieved": _l("Not achieved"),
}

NEXT_STEPS = {
    "work": _l("Work"),
    "education": _l("Education"),
    "further_placement": _l("A further placement"),
    "other_support": _l("Other support"),
}

OUTCOMES = {
    "employment": _l("In employment"),
    "education": _l("In education or training"),
    "job_seeking": _l("Job seeking"),
    "other": _l("Other"),
}

ABSENCE_REASONS = {  # the codes of `models.follow_up_records.ABSENCE_REASONS`, in that order
    "ill": _l("Ill"),
    "child_care": _l("Care of a sick child"),
    "leave": _l("Leave"),
    "other_agreed": _l("Other agreed absence"),
    "unexplained": _l("Unexplained absence"),
}

PROGRESS = {  # the codes of `models.follow_up_records.PROGRESS`
    "on_track": _l("On track"),
    "some_progress": _l("Some progress"),
    "not_yet": _l("Not yet"),
}

DECLINE_REASONS = {
    "no_capacity": _l("No free place right now"),
    "poor_match": _l("The placement does not suit our activities"),
    "timing": _l("The timing does not work"),
    "accessibility": _l("Our premises cannot meet the accessibility needs"),
    "other": _l("Other reason"),
}

OFFER_STATES = {
    "open": _l("Waiting for an answer"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "expired": _l("Expired"),
    "withdrawn": _l("Withdrawn"),
}

CONSENT_SCOPES = {
    "referral": _l("Referral and placement"),
    "referral_and_follow_up": _l("Referral, placement and follow-up"),
}

CONSENT_METHODS = {
    "written": _l("In writing"),
    "oral": _l("Orally"),
    "digital": _l("Digitally signed"),
}


def label(vocabulary: dict, code: str) -> str:
    """The label for `code`, or the code itself when a plugin introduced a new one."""
    return str(vocabulary.get(code, code))
