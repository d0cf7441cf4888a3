"""the authority on the placement; indexes for continuity and for the reports' periods

A placement knew its authority only through its referral, so counting the placements a
supervisor completed for an authority (matching's continuity factor) read every
completed placement and its referral. The authority is copied onto the placement (it
never changes once the placement exists) and indexed with the supervisor and state; that
index replaces (supervisor_id, state), which it starts with. The reports filter by
submission, offer, start and end dates: each gets an index.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

PERIOD_INDEXES = (
    ("referral", "ix_referral_submitted_at", "submitted_at"),
    ("offer", "ix_offer_offered_at", "offered_at"),
    ("placement", "ix_placement_start_date", "start_date"),
    ("placement", "ix_placement_end_date", "end_date"),
)


def upgrade():
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("authority_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE placement SET authority_id = (SELECT authority_id FROM referral WHERE referral.id = placement.referral_id)"
    )
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.alter_column("authority_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_placement_authority_id_authority"), "authority", ["authority_id"], ["id"]
        )
        batch_op.drop_index("ix_placement_supervisor_state")
        batch_op.create_index(
            "ix_placement_supervisor_state_authority", ["supervisor_id", "state", "authority_id"], unique=False
        )
    for table, name, column in PERIOD_INDEXES:
        op.create_index(name, table, [column], unique=False)


def downgrade():
    for table, name, _column in reversed(PERIOD_INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.drop_index("ix_placement_supervisor_state_authority")
        batch_op.create_index("ix_placement_supervisor_state", ["supervisor_id", "state"], unique=False)
        batch_op.drop_constraint(batch_op.f("fk_placement_authority_id_authority"), type_="foreignkey")
        batch_op.drop_column("authority_id")
