# The challenge models moved here from `programs` (ADR 16). Their tables and rows stay: this
# migration takes the models over in the migration state, gives the content types to this app,
# renames the tables programs_* -> challenges_* and the range checks that carry the app's name
# (programs_challenge_budget_range -> challenges_challenge_budget_range); programs 0005 then
# drops the models from its own state. On a new database the same steps run on empty tables.

import datetime
import django.db.models.deletion
import django.utils.timezone
import kechuang.core.fields
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

MODELS = ("challengelist", "challenge", "stageassessment")

# (model, field, range) of every bounded field: the RangeCheck that core.fields derives from it.
RANGES = [
    ("challengelist", "year", models.Q(("year__gte", 1990), ("year__lte", 2100))),
    ("challengelist", "quarter", models.Q(("quarter__gte", 1), ("quarter__lte", 4))),
    ("challenge", "budget", models.Q(("budget__gt", 0), ("budget__lte", Decimal("1000000")))),
    ("challenge", "deadline", models.Q(("deadline__gte", datetime.date(1950, 1, 1)),
                                       ("deadline__lte", datetime.date(2100, 12, 31)))),
    ("challenge", "max_teams", models.Q(("max_teams__gte", 1), ("max_teams__lte", 20))),
    ("challenge", "phase_one_amount", models.Q(("phase_one_amount__gt", 0),
                                               ("phase_one_amount__lte", Decimal("1000000")))),
    ("challenge", "phases", models.Q(("phases__gte", 1), ("phases__lte", 10))),
    ("challenge", "current_phase", models.Q(("current_phase__gte", 0), ("current_phase__lte", 10))),
    ("stageassessment", "phase", models.Q(("phase__gte", 1), ("phase__lte", 10))),
]


def range_checks(app, model):
    return [kechuang.core.fields.RangeCheck(condition=condition, name=f"{app}_{model}_{field}_range")
            for owner, field, condition in RANGES if owner == model]


def move_content_types(apps, schema_editor, source="programs", target="challenges"):
    """The content types (and so any permission rows) follow the models to their new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label=source, model__in=MODELS).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="challenges", target="programs")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0004_sign_in_throttle'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('demands', '0004_ranges'),
        ('programs', '0004_ranges'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The models as programs 0004 left them: on their programs_* tables, with their checks.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='ChallengeList',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                    ('quarter', models.PositiveSmallIntegerField(choices=[(1, 'Q1'), (2, 'Q2'), (3, 'Q3'), (4, 'Q4')], verbose_name='quarter')),
                    ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published at')),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'challenge list',
                    'ordering': ['-year', '-quarter'],
                    'db_table': 'programs_challengelist',
                    'constraints': [
                        models.UniqueConstraint(fields=('year', 'quarter'), name='one_challenge_list_per_quarter'),
                        *range_checks('programs', 'challengelist'),
                    ],
                },
            ),
            migrations.CreateModel(
                name='Challenge',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('goals', models.TextField(verbose_name='goals and indicators')),
                    ('budget', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='budget (10,000 yuan)')),
                    ('deadline', models.DateField(verbose_name='deadline for solver teams')),
                    ('max_teams', models.PositiveSmallIntegerField(default=3, verbose_name='teams funded in phase one (K)')),
                    ('phase_one_amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='phase-one funding per team (10,000 yuan)')),
                    ('phases', models.PositiveSmallIntegerField(default=2, verbose_name='phases')),
                    ('current_phase', models.PositiveSmallIntegerField(default=0)),
                    ('status', models.CharField(choices=[('draft', 'Draft'), ('open', 'Open for solver teams'), ('racing', 'Parallel track under way'), ('finished', 'Finished'), ('cancelled', 'Cancelled')], default='draft', max_length=10, verbose_name='status')),
                    ('call', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='challenge', to='programs.call')),
                    ('demand', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='challenge', to='demands.demand')),
                    ('setter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='challenges', to='accounts.organization', verbose_name='enterprise that set the challenge')),
                    ('challenge_list', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='challenges', to='challenges.challengelist')),
                ],
                options={
                    'verbose_name': 'challenge',
                    'ordering': ['challenge_list', 'pk'],
                    'db_table': 'programs_challenge',
                    'constraints': range_checks('programs', 'challenge'),
                },
            ),
            migrations.CreateModel(
                name='StageAssessment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('phase', models.PositiveSmallIntegerField(verbose_name='phase')),
                    ('decision', models.CharField(choices=[('continue', 'Continue'), ('eliminate', 'Eliminate'), ('merge', 'Merge into another team')], max_length=10, verbose_name='decision')),
                    ('note', models.TextField(blank=True, verbose_name='assessment')),
                    ('assessed_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('application', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='stage_assessments', to='programs.application', verbose_name='solver team')),
                    ('assessed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('challenge', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='challenges.challenge')),
                    ('merged_into', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='programs.application', verbose_name='merged into')),
                ],
                options={
                    'ordering': ['challenge', 'phase', 'pk'],
                    'db_table': 'programs_stageassessment',
                    'constraints': [
                        models.UniqueConstraint(fields=('challenge', 'phase', 'application'), name='one_outcome_per_team_phase'),
                        models.CheckConstraint(condition=models.Q(models.Q(('decision', 'merge'), _negated=True), ('merged_into__isnull', False), _connector='OR'), name='merge_names_its_target'),
                        *range_checks('programs', 'stageassessment'),
                    ],
                },
            ),
        ]),
        migrations.RunPython(move_content_types, move_content_types_back),
        # Each table takes this app's name (RENAME: no copy; references follow on both backends).
        migrations.AlterModelTable(name='challengelist', table=None),
        migrations.AlterModelTable(name='challenge', table=None),
        migrations.AlterModelTable(name='stageassessment', table=None),
        # The range checks take it too (SQLite: one rebuild per table with the new names).
        kechuang.core.fields.AlterChecks(changes={
            model: {
                'add': range_checks('challenges', model),
                'remove': [check.name for check in range_checks('programs', model)],
            }
            for model in MODELS
        }),
    ]
