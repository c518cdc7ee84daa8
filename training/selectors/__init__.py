"""Reads of training that are more than one queryset, one module per area."""
