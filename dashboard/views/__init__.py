"""Thin Panel views over :mod:`dashboard.state`: widgets from parameters, plots updated in place."""
