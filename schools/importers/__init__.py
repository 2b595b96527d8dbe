"""Readers that turn a school's schedule files into a `ScheduleData`, with no database access."""
