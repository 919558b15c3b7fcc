from estates.scoping import scoped
from estates.models import Unit


def test_scoping_hides_other_office(unit_a, unit_b, frontdesk_a, qa):
    assert list(scoped(Unit.objects.all(), frontdesk_a)) == [unit_a]
    assert set(scoped(Unit.objects.all(), qa)) == {unit_a, unit_b}
