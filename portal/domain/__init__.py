"""Logic with no request in it: functions take plain arguments and a database session."""
