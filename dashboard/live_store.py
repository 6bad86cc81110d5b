"""Which class store the live class (issue 11) uses in this process, and the one store object opened.

``fndam-explorer serve --store URL`` checks the URL once and hands it to the app (and to every worker of
``--workers N``, as their own ``--store``) in the environment variable :data:`STORE_ENV`; without it the
store is one SQLite file in the installation's folder (:func:`default_store_url`), which every process
of one user on one host shares. The store is opened on first use, once per process: a server that
never runs a class never opens it. Nothing here imports Panel (the command line uses it before serving).
"""

import os
import threading

from dashboard.auth import default_secret_path
from dashboard.classroom import open_store

#: Environment variable that carries the store URL from the command line to the app.
STORE_ENV = "FNDAM_STORE"
#: Name of the default store's file.
STORE_FILE = "classes.sqlite"

_lock = threading.Lock()
_opened = {}  # the STORE_ENV value ("" for the default) -> the one store object of this process


def default_store_url():
    """``sqlite:////<folder>/classes.sqlite`` in the installation's folder, the one of its default cookie
    secret (``$XDG_CONFIG_HOME/fndam-explorer``, :func:`dashboard.auth.default_secret_path`), created
    (mode 700) if missing."""
    folder = default_secret_path().parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return "sqlite:///" + str((folder / STORE_FILE).resolve())


def check_store(url):
    """None if the store at ``url`` opens (it is closed again), else a one-line message saying why not."""
    try:
        open_store(url).close()
    except (ValueError, OSError) as error:
        return str(error)
    return None


def live_store():
    """``(store, None)``: this process's class store, opened on the first call; ``(None, message)`` if it
    cannot be opened (tried again on the next call, so a store that comes back is used)."""
    given = os.environ.get(STORE_ENV, "")
    with _lock:
        if given not in _opened:
            try:
                _opened[given] = open_store(given or default_store_url())
            except (ValueError, OSError) as error:
                return None, f"The live class is not available: {error}"
        return _opened[given], None
