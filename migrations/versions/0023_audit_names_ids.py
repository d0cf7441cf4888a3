"""the audit trail names participants and referrals by id, without foreign keys

A registration made by mistake (a mistyped personal identity number) is deleted with
its drafts (`domain.participants.mistaken`); the trail of who read and changed that
record, and the removal itself, stay and keep naming its id. A foreign key would
forbid deleting the row while the trail names it, or make the trail forget which
record it was about. The actor stays a foreign key: users are never deleted.

Revision ID: 0023
Revises: 0022
"""

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

NAMED = (("participant_id", "participant"), ("referral_id", "referral"))


def upgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        for column, table in NAMED:
            batch_op.drop_constraint(batch_op.f(f"fk_audit_event_{column}_{table}"), type_="foreignkey")


def downgrade():
    """The trail's rows about deleted records lose their id: a foreign key cannot name them."""
    for column, table in NAMED:
        op.execute(f"UPDATE audit_event SET {column} = NULL WHERE {column} NOT IN (SELECT id FROM {table})")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        for column, table in NAMED:
            batch_op.create_foreign_key(batch_op.f(f"fk_audit_event_{column}_{table}"), table, [column], ["id"])
