"""participants' and referrals' ids are never given again, on SQLite too

The audit trail names a participant and a referral by id (0023), and a referral's id
is the number people quote. A registration removed by mistake goes with its drafts
(`domain.participants.mistaken`); SQLite then gives the highest removed id to the next
row, so the trail of the removed person would read as the next person's. SQLite's
AUTOINCREMENT never gives an id twice; PostgreSQL's sequences never did, and are left
as they are. The tables are copied (batch mode); their triggers (0021), which a copy
loses, are read first and made again.

Revision ID: 0024
Revises: 0023
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

TABLES = ("participant", "referral")


def _recreate(autoincrement: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for table in TABLES:
        triggers = (
            bind.execute(
                sa.text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :table ORDER BY name"),
                {"table": table},
            )
            .scalars()
            .all()
        )
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ) as batch_op:
            batch_op.alter_column("id", existing_type=sa.Integer(), existing_nullable=False)
        for trigger in triggers:
            op.execute(trigger)


def upgrade():
    _recreate(autoincrement=True)


def downgrade():
    _recreate(autoincrement=False)
