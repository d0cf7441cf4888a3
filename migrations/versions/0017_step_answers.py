"""the answers a workflow step asks for (`Transition.fields`), kept on its timeline entry

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("transition", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answers", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("transition", schema=None) as batch_op:
        batch_op.drop_column("answers")
