"""Widgets: controls + a model + a figure composed into apps, built with ``observe`` (never ``interact``)."""
