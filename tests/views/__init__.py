"""View tier: every view built into a Bokeh document without a browser (a package, so that its test
modules may share names with tests/ui's)."""
