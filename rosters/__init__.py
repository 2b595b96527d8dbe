"""Readers that turn a school's schedule files into a `ScheduleData`, with no Django and no
database: the master-schedule CSV and its bell schedule (FORMATS.md §1), OneRoster exports
(§2), the CSV helpers they share, and the order of days and periods.

The web app applies a `ScheduleData` to its database (`schools.services`); the scheduler's
command line, tests and benchmark turn it into a problem (`scheduler.from_rosters`).
"""
