"""FN-DAM Explorer dashboard: Panel + Bokeh + Param.

``state`` holds the session's parameters and data (no Panel import, testable without a browser);
``views`` turns them into widgets and plots; ``app`` assembles one page per browser session;
``cli`` serves it (``fndam-explorer serve``).
"""
