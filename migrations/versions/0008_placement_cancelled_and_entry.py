"""placement cancelled before the start, status and education at entry

A planned placement withdrawn before it began was stored as discontinued and counted as
placed; it becomes cancelled. Started placements get the participant's status and
education copied as the best value at entry there is (today's).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

OLD_STATES = "state IN ('planned', 'active', 'completed', 'discontinued')"
NEW_STATES = "state IN ('planned', 'active', 'completed', 'discontinued', 'cancelled')"
STATUS = "status_at_entry IS NULL OR status_at_entry IN ('unemployed', 'long_term_unemployed', 'inactive', 'employed')"
EDUCATION = "education_at_entry IS NULL OR education_at_entry IN ('isced_0_2', 'isced_3_4', 'isced_5_8')"


def upgrade():
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_at_entry", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("education_at_entry", sa.String(length=20), nullable=True))
        batch_op.drop_constraint(op.f("ck_placement_state_valid"), type_="check")
        batch_op.create_check_constraint(op.f("ck_placement_state_valid"), NEW_STATES)
        batch_op.create_check_constraint(op.f("ck_placement_status_at_entry_valid"), STATUS)
        batch_op.create_check_constraint(op.f("ck_placement_education_at_entry_valid"), EDUCATION)
    op.execute(
        "UPDATE placement SET state = 'cancelled', outcome = NULL, end_date = NULL "
        "WHERE state = 'discontinued' AND started_at IS NULL"
    )
    op.execute(
        "UPDATE placement SET "
        "status_at_entry = (SELECT labour_market_status FROM referral JOIN participant "
        "ON participant.id = referral.participant_id WHERE referral.id = placement.referral_id), "
        "education_at_entry = (SELECT education_level FROM referral JOIN participant "
        "ON participant.id = referral.participant_id WHERE referral.id = placement.referral_id) "
        "WHERE started_at IS NOT NULL"
    )


def downgrade():
    op.execute("UPDATE placement SET state = 'discontinued', end_date = start_date WHERE state = 'cancelled'")
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_placement_education_at_entry_valid"), type_="check")
        batch_op.drop_constraint(op.f("ck_placement_status_at_entry_valid"), type_="check")
        batch_op.drop_constraint(op.f("ck_placement_state_valid"), type_="check")
        batch_op.create_check_constraint(op.f("ck_placement_state_valid"), OLD_STATES)
        batch_op.drop_column("education_at_entry")
        batch_op.drop_column("status_at_entry")
