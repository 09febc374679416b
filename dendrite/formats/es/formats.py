"""How dates and times read in Spanish (the same four shapes as formats/en)."""

DATE_FORMAT = "D j b Y"  # lun 30 nov 2026
DATETIME_FORMAT = "D j b Y, H:i"  # lun 30 nov 2026, 14:05
TIME_FORMAT = "H:i"  # 14:05
SHORT_DATE_FORMAT = "j b Y"  # 30 nov 2026
SHORT_DATETIME_FORMAT = "j b Y, H:i"
MONTH_DAY_FORMAT = "j \\d\\e F"
YEAR_MONTH_FORMAT = "F \\d\\e Y"
