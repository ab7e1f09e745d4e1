"""A home's changes to the language guide that ships with keywork: the words
it adds, and the shipped words it stops checking."""

from __future__ import annotations

import peewee as pw

from .base import BaseModel, Line
from .home import Home


class LanguageWord(BaseModel):
    home = pw.ForeignKeyField(Home, backref="language_words", on_delete="CASCADE")
    home_id: int
    word = Line()  # as the home wrote it
    # The word in lower case with single spaces: one row per word and home.
    key = Line()
    suggestion = Line(default="")
    # False: a shipped word the home took off its guide.
    checked = pw.BooleanField(default=True)

    class Meta:
        indexes = ((("home", "key"), True),)
