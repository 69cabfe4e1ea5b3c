from __future__ import annotations

from django.core.management import call_command

from lotse.programmes.models import ModuleBudget


def test_seed_splits_the_total_and_never_overwrites(region):
    region.programme.budget_cents = 90_000_000
    region.programme.save()

    call_command(
        "seedbudgets", traeger=region.traeger.slug, programme="durchstarten", years=[2021, 2022]
    )
    ModuleBudget.objects.filter(module=region.modules[1], year=2021).update(amount_cents=1)
    call_command(
        "seedbudgets", traeger=region.traeger.slug, programme="durchstarten", years=[2021, 2022]
    )

    seeded = ModuleBudget.objects.filter(year__in=[2021, 2022])
    assert sum(b.amount_cents for b in seeded) == 90_000_000 - 22_500_000 + 1
    assert seeded.get(module=region.modules[4], year=2022).amount_cents == 9_000_000
