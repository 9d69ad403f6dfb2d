"""The project's Thai language skills: reading and writing dates, times and numbers the way Thai people do.

Below both `handlers/` (which reads what people type) and `models/` (which writes papers): it
imports neither, nor Flask, linebot or SQLAlchemy.
"""
