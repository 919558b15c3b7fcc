"""Hardening issue, item 1: moments before 2000 are refused by the database.

Rows written before this (year 1 was accepted by the intake) are repaired first, in SQL: Python cannot read
such a value back. A complaint's time received becomes the time it was logged; a handling deadline or an
F2 report time before 2000 is cleared (the form asks for it again).
"""

import datetime
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0011_timeline_append_only'),
        ('estates', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(
            [
                "UPDATE complaints_complaint SET received_at = created_at WHERE received_at < '2000-01-01'",
                "UPDATE complaints_complaint SET handling_due_at = NULL WHERE handling_due_at < '2000-01-01'",
                "UPDATE complaints_engineeringrecord SET written_report_sent_at = NULL"
                " WHERE written_report_sent_at < '2000-01-01'",
            ],
            migrations.RunSQL.noop,
        ),
        migrations.AddConstraint(
            model_name='complaint',
            constraint=models.CheckConstraint(condition=models.Q(('received_at__gte', datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='complaint_received_in_range'),
        ),
        migrations.AddConstraint(
            model_name='complaint',
            constraint=models.CheckConstraint(condition=models.Q(('handling_due_at__isnull', True), ('handling_due_at__gte', datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)), _connector='OR'), name='complaint_handling_due_in_range'),
        ),
        migrations.AddConstraint(
            model_name='engineeringrecord',
            constraint=models.CheckConstraint(condition=models.Q(('written_report_sent_at__isnull', True), ('written_report_sent_at__gte', datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)), _connector='OR'), name='f2_report_sent_in_range'),
        ),
    ]
