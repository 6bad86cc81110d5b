"""Session state as plain ``param.Parameterized`` classes (no Panel import): parameters with bounds,
units in their labels and a docstring each, and methods that return plot data as dicts of arrays.
"""
