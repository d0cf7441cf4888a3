"""The supervisor training registry: cohorts and their modules (`cohorts`), enrolment,
attendance, completion and certification (`records`), the coordinator's overview
(`overview`), and what "trained" means (`definitions`, shared with the reports)."""
