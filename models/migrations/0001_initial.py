"""The first schema: every table of the initial model.

Frozen copies of the models, independent of the live ones, so this file keeps
describing the same schema however the application models change later.
JSON columns are plain text here, which is how they are stored.
"""

import datetime

from peewee import *
from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    class Home(Model):
        name = CharField()
        nation = CharField(default="england")
        profile = CharField(default="childrens_home")
        day_shift_starts = CharField(default="07:30")
        night_shift_starts = CharField(default="22:00")
        policy = TextField(default="{}")
        is_demo = BooleanField(default=False)
        created_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "home"

    db.create_tables([Home])

    class Staff(Model):
        home = ForeignKeyField(Home)
        name = CharField()
        role = CharField(default="care_staff")
        induction_done = BooleanField(default=False)
        level3 = BooleanField(default=False)
        level3_on = DateField(null=True)
        active = BooleanField(default=True)
        os_user = CharField(unique=True, null=True)
        interests = TextField(default="")
        pin_hash = CharField(null=True)
        created_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "staff"
            indexes = ((("home", "name"), False),)

    db.create_tables([Staff])

    class Absence(Model):
        staff = ForeignKeyField(Staff)
        starts_on = DateField()
        ends_on = DateField()
        kind = CharField()
        note = TextField(default="")
        created_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "absence"

    db.create_tables([Absence])

    class Handover(Model):
        home = ForeignKeyField(Home)
        shift_date = DateField()
        shift = CharField()
        home_notes = TextField(default="")
        status = CharField(default="draft")
        written_by = ForeignKeyField(Staff, null=True)
        submitted_at = DateTimeField(null=True)
        created_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "handover"
            indexes = ((("home", "shift_date", "shift"), True),)

    db.create_tables([Handover])

    class Acknowledgement(Model):
        handover = ForeignKeyField(Handover, on_delete="CASCADE")
        staff = ForeignKeyField(Staff)
        at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "acknowledgement"
            indexes = ((("handover", "staff"), True),)

    db.create_tables([Acknowledgement])

    class Amendment(Model):
        table = CharField()
        record_id = IntegerField()
        field = CharField()
        original = TextField()
        corrected = TextField()
        reason = TextField()
        by = ForeignKeyField(Staff)
        at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "amendment"
            indexes = ((("table", "record_id"), False),)

    db.create_tables([Amendment])

    class AuditEvent(Model):
        at = DateTimeField(index=True, default=datetime.datetime.now)
        staff_id = IntegerField(null=True)
        staff_name = CharField(default="")
        home_id = IntegerField(null=True)
        action = CharField(index=True)
        table = CharField()
        record_id = IntegerField(null=True)
        child_id = IntegerField(index=True, null=True)
        before = TextField(null=True)
        after = TextField(null=True)

        class Meta:
            database = db
            table_name = "audit_event"

    db.create_tables([AuditEvent])

    class Child(Model):
        home = ForeignKeyField(Home)
        first_name = CharField()
        last_name = CharField()
        preferred_name = CharField(default="")
        date_of_birth = DateField()
        admitted_on = DateField()
        left_on = DateField(null=True)
        placement = CharField(default="full_time")
        school = CharField(default="")
        likes = TextField(default="")
        dislikes = TextField(default="")
        interests = TextField(default="")
        fears = TextField(default="")
        session_every_days = IntegerField(null=True)
        policy = TextField(default="{}")
        created_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "child"

    db.create_tables([Child])

    class Contact(Model):
        child = ForeignKeyField(Child)
        kind = CharField()
        name = CharField()
        relationship = CharField(default="")
        phone = CharField(default="")
        email = CharField(default="")
        restrictions = TextField(default="")

        class Meta:
            database = db
            table_name = "contact"

    db.create_tables([Contact])

    class Cover(Model):
        child = ForeignKeyField(Child)
        staff = ForeignKeyField(Staff)
        starts_on = DateField()
        ends_on = DateField()
        absence = ForeignKeyField(Absence, null=True)
        created_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "cover"

    db.create_tables([Cover])

    class DocumentReview(Model):
        child = ForeignKeyField(Child)
        document = CharField()
        reviewed_on = DateField()
        outcome = CharField()
        note = TextField(default="")
        by = ForeignKeyField(Staff)
        created_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "document_review"
            indexes = ((("child", "document", "reviewed_on"), False),)

    db.create_tables([DocumentReview])

    class HandoverEntry(Model):
        handover = ForeignKeyField(Handover, on_delete="CASCADE")
        child = ForeignKeyField(Child)
        state = CharField(default="settled")
        mood = TextField(default="")
        events = TextField(default="")
        bedtime_concern = TextField(default="")
        actions = TextField(default="")
        nothing_to_add = BooleanField(default=False)
        restricted = BooleanField(default=False)
        by = ForeignKeyField(Staff)
        updated_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "handover_entry"
            indexes = ((("handover", "child"), True),)

    db.create_tables([HandoverEntry])

    class KeySession(Model):
        child = ForeignKeyField(Child)
        staff = ForeignKeyField(Staff)
        held_at = DateTimeField()
        kind = CharField(default="informal")
        activity = CharField(default="")
        minutes = IntegerField(default=30)
        purposes = TextField(default="[]")
        views = TextField(default="")
        summary = TextField(default="")
        actions = TextField(default="[]")
        concern = BooleanField(default=False)
        concern_text = TextField(default="")
        concern_seen_by = ForeignKeyField(Staff, null=True)
        concern_seen_at = DateTimeField(null=True)
        restricted = BooleanField(default=False)
        status = CharField(default="draft")
        finalised_at = DateTimeField(null=True)
        created_at = DateTimeField(default=datetime.datetime.now)
        updated_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "key_session"
            indexes = ((("child", "held_at"), False),)

    db.create_tables([KeySession])

    class KeyWorkerAllocation(Model):
        child = ForeignKeyField(Child)
        staff = ForeignKeyField(Staff)
        role = CharField(default="key_worker")
        starts_on = DateField()
        ends_on = DateField(null=True)
        reason = CharField(null=True)
        reason_note = TextField(default="")
        created_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "key_worker_allocation"
            indexes = ((("child", "ends_on"), False),)

    db.create_tables([KeyWorkerAllocation])

    class PersonalEvent(Model):
        child = ForeignKeyField(Child)
        date = DateField()
        kind = CharField()
        yearly = BooleanField(default=False)
        note = TextField(default="")
        created_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "personal_event"

    db.create_tables([PersonalEvent])

    class ShiftSignOn(Model):
        home = ForeignKeyField(Home)
        shift_date = DateField()
        shift = CharField()
        staff = ForeignKeyField(Staff)
        at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "shift_sign_on"
            indexes = ((("home", "shift_date", "shift", "staff"), True),)

    db.create_tables([ShiftSignOn])

    class SignificantEvent(Model):
        child = ForeignKeyField(Child)
        occurred_on = DateField()
        summary = TextField()
        by = ForeignKeyField(Staff)
        created_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "significant_event"

    db.create_tables([SignificantEvent])

    class Supervision(Model):
        staff = ForeignKeyField(Staff)
        supervisor = ForeignKeyField(Staff)
        held_on = DateField()
        note = TextField(default="")
        created_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "supervision"

    db.create_tables([Supervision])

    class Target(Model):
        child = ForeignKeyField(Child)
        text = TextField()
        set_on = DateField()
        review_by = DateField()
        outcome = CharField(null=True)
        reviewed_on = DateField(null=True)
        created_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "target"

    db.create_tables([Target])

    class TargetProgress(Model):
        session = ForeignKeyField(KeySession)
        target = ForeignKeyField(Target)
        note = TextField()

        class Meta:
            database = db
            table_name = "target_progress"

    db.create_tables([TargetProgress])

    class TermDate(Model):
        home = ForeignKeyField(Home, on_delete="CASCADE")
        starts_on = DateField()
        ends_on = DateField()
        kind = CharField(default="term")

        class Meta:
            database = db
            table_name = "term_date"

    db.create_tables([TermDate])


def down(migrator: SchemaMigrator, db: Database) -> None:
    migrator.migrate(migrator.drop_table("term_date"))
    migrator.migrate(migrator.drop_table("target_progress"))
    migrator.migrate(migrator.drop_table("target"))
    migrator.migrate(migrator.drop_table("supervision"))
    migrator.migrate(migrator.drop_table("significant_event"))
    migrator.migrate(migrator.drop_table("shift_sign_on"))
    migrator.migrate(migrator.drop_table("personal_event"))
    migrator.migrate(migrator.drop_table("key_worker_allocation"))
    migrator.migrate(migrator.drop_table("key_session"))
    migrator.migrate(migrator.drop_table("handover_entry"))
    migrator.migrate(migrator.drop_table("document_review"))
    migrator.migrate(migrator.drop_table("cover"))
    migrator.migrate(migrator.drop_table("contact"))
    migrator.migrate(migrator.drop_table("child"))
    migrator.migrate(migrator.drop_table("audit_event"))
    migrator.migrate(migrator.drop_table("amendment"))
    migrator.migrate(migrator.drop_table("acknowledgement"))
    migrator.migrate(migrator.drop_table("handover"))
    migrator.migrate(migrator.drop_table("absence"))
    migrator.migrate(migrator.drop_table("staff"))
    migrator.migrate(migrator.drop_table("home"))
