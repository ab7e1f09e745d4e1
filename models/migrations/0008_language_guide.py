"""A home's own language guide: the words it adds to the shipped list or takes
off it, and whether its notes are checked at all."""

from peewee import *
from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    class Home(Model):
        class Meta:
            database = db
            table_name = "home"

    class LanguageWord(Model):
        home = ForeignKeyField(Home, backref="language_words", on_delete="CASCADE")
        word = CharField()
        key = CharField()
        suggestion = CharField(default="")
        checked = BooleanField(default=True)

        class Meta:
            database = db
            table_name = "language_word"
            indexes = ((("home", "key"), True),)

    db.create_tables([LanguageWord])
    migrator.migrate(
        migrator.add_column("home", "language_check", BooleanField(default=True)),
    )
