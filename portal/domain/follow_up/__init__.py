"""Following a placement after *start*: plan, meetings, attendance, reports and messages (issue 14)."""
