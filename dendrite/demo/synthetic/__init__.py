"""`manage.py make_synthetic`: a large, clearly synthetic clinic network for load tests,
benchmarks and the dashboard (issue #17). Unlike `load_demo` (a few people written
through the actions, with their audit trail), it writes millions of rows straight to the
tables: COPY on PostgreSQL, executemany on SQLite.

- network.py   the organisation "Synthetic Network", its locations, chairs and staff
- courses.py   how each patient's treatment goes (pure): cohorts, responders, relapses
- slots.py     free chair and prescriber times, without overlaps (pure)
- build.py     the patients and their records, streamed in chunks
- writer.py    COPY / executemany, primary keys handed out up front, sequences after
- names.py     the fixed list of synthetic names
"""
