"""Database lookups for the whole project (registered by PeopleConfig.ready: people is the
bottom layer, so every app has them)."""

from __future__ import annotations

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    """`in` on an integer column, leaving out numbers no row can hold, as Django's own `exact`,
    `gt` and `lt` lookups do for out-of-range numbers. SQLite raised OverflowError on a number
    past 64 bits (a form's `teams=99999999999999999999` was a 500); with every value left out
    the query matches nothing."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
