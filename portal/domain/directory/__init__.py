"""The directory the regional offices keep: cooperatives and their supervisors.

`organisation_number` validates the cooperatives' numbers, `cooperatives` and
`supervisors` create, change and list them (a supervisor's pause included). Who may do
what is decided in `portal.domain.access`; every change writes an audit event.
"""
