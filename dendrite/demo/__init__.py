"""The synthetic demo clinic, for `make run` (`manage.py load_demo`, debug mode only).

It sits above every other app: it fills them all, and none of them knows it exists.

- clinics.py   two locations with made-up addresses, hours, closures and chairs
- staff.py     one user per role per location, with known passwords and TOTP secrets
               (`manage.py demo_totp <username>` prints the current code)
- schedule.py  invented patients and a schedule to look at
- rota.py      the on-call rota for safety alerts
"""
