"""Each market says what kind of number it asks for (issue 11): a count, a year or a measure.

Existing markets get the kind their rows suggest: a whole-number market whose question asks for a year is a
year, any other whole-number market a count, the rest measures.
"""

from django.db import migrations, models


def guess_kinds(apps, schema_editor):
    Market = apps.get_model("mmgame", "Market")
    whole = Market.objects.filter(integer=True)
    whole.filter(question__icontains="year").update(kind="year")
    whole.exclude(question__icontains="year").update(kind="count")


class Migration(migrations.Migration):
    dependencies = [
        ("mmgame", "0003_money_exact"),
    ]

    operations = [
        migrations.AddField(
            model_name="market",
            name="kind",
            field=models.CharField(
                choices=[("count", "A count"), ("year", "A year"), ("measure", "A measure")],
                default="measure",
                help_text="A count (whole, 1,500 beans), a year (1440) or a measure (decimals and a unit, 2.5 µm).",
                max_length=10,
            ),
        ),
        migrations.RunPython(guess_kinds, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="market",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["count", "year", "measure"])), name="market_kind_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="market",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind", "measure"), ("integer", True), _connector="OR"),
                name="market_counts_and_years_resolve_whole",
            ),
        ),
    ]
