"""the participant's gender on the referral and the offer, for the 3R report

The 3R report counts a year of referrals, offers and placements by the participant's
gender; read through the participant, each of its statements joined a fifth of those
tables to every participant (bench/README.md). The gender is copied onto the referral
and the offer (kept in step when the participant's is corrected) and filled here for
existing rows.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

GENDERS = "participant_gender IN ('woman', 'man', 'not_stated')"
FILL = {
    "referral": "SELECT gender FROM participant WHERE participant.id = referral.participant_id",
    "offer": "SELECT participant_gender FROM referral WHERE referral.id = offer.referral_id",
}


def upgrade():
    for table, source in FILL.items():  # the referral first: the offer copies it
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("participant_gender", sa.String(length=20), nullable=True))
        op.execute(f"UPDATE {table} SET participant_gender = ({source})")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("participant_gender", existing_type=sa.String(length=20), nullable=False)
            batch_op.create_check_constraint(op.f(f"ck_{table}_participant_gender_valid"), GENDERS)


def downgrade():
    for table in reversed(FILL):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_participant_gender_valid"), type_="check")
            batch_op.drop_column("participant_gender")
