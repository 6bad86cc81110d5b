"""What every process of a served app agrees on: the app's title, the liveness path, the log line format.

Declared here once, without importing Panel: the supervisor of ``--workers`` (:mod:`dashboard.workers`)
and the proxy's configuration (:mod:`dashboard.proxy`) use them as the app servers do
(:mod:`dashboard.server`), without the ~55 MB and ~0.8 s that importing Panel costs; the server's own
pages (:mod:`dashboard.pages`) name the app without importing it.
"""

#: The app's name: the page's title, the server's own pages, its log lines.
TITLE = "FN-DAM Explorer"
#: Path of the liveness endpoint under the server's prefix, answered without building the app (the
#: supervisor, the proxy and Kubernetes probes poll it).
LIVENESS_PATH = "/healthz"
#: How long a page's session waits for its websocket, or lingers after its page closed [ms]. A page
#: whose websocket comes later gets a new session without its URL's query: with a whole class opening
#: at once on two cores the websocket came 5.8-8.4 s after the page (benchmarks/class_load.py, 100
#: students), and a 5 s lifetime put 21-64 of them in the plain app instead of their class.
UNUSED_SESSION_MS = 60_000
#: How often the server looks for such sessions [ms].
CHECK_SESSIONS_MS = 5_000
#: Every log line says when, how severe and who: "2026-01-05 10:02:03,123 WARNING dashboard.auth: ...".
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
