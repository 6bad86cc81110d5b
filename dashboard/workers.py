"""``fndam-explorer serve --workers N``: N single-process app servers behind nginx, kept running.

Panel's own ``--num-procs`` cannot serve this app: a page request and its websocket may land in
different processes, so the session is built twice and its stylesheets come from Panel's CDN. Here
each worker is a whole ``fndam-explorer serve`` on a free loopback port, and nginx in front
(:mod:`dashboard.proxy`) keeps each browser on one worker with a route cookie.

One foreground process supervises them all: a worker (or nginx) that exits is started again on the
same port and logged, while nginx routes around it; SIGINT (Ctrl-C) or SIGTERM stops nginx, then every
worker, and exits with status 0. Children run in their own process group, so Ctrl-C in a terminal
reaches only the supervisor, which stops them in order; and each is told by the kernel to stop
(SIGTERM) if the supervisor itself dies, so none is left behind even after a ``kill -9``.
"""

import ctypes
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from dashboard import allocator, auth, proxy
from dashboard.serving import LIVENESS_PATH, LOG_FORMAT

log = logging.getLogger(__name__)

#: Each worker is a whole app server (~170 MB before its first page) and a core serves about two new
#: pages per second, so more workers than cores add no speed; 32 bounds the memory a typo could take.
MAX_WORKERS = 32
#: Workers listen here only: nginx is their one client.
WORKER_ADDRESS = "127.0.0.1"
POLL_S = 0.2          # how often the supervisor looks at its children
READY_TIMEOUT_S = 120  # N workers import Panel at once at startup: ~1.5 s each on a free core
STOP_TIMEOUT_S = 10    # SIGTERM, then SIGKILL after this long
QUICK_EXIT_S = 30      # a child that exits sooner than this after starting waits longer before each retry
MAX_RETRY_DELAY_S = 30
WORKER_TIMEOUT_S = 60  # a worker whose liveness URL has not answered for this long is hung (--worker-timeout)
LIVENESS_EVERY_S = 2   # how often the supervisor asks each ready worker's liveness URL

#: The serve options the supervisor sets for each worker itself instead of passing them on.
OWN_OPTIONS = {"command", "workers", "worker_timeout", "port", "address", "allow_websocket_origin"}


class Child:
    """One supervised process (a worker or nginx): how to start it, how to see it is ready.

    Parameters
    ----------
    name : str
        Name in log lines, e.g. ``"worker 1 (127.0.0.1:40123)"``.
    command : list of str
        Its command line.
    env : dict
        Its environment.
    ready_url : str
        A URL that answers 200 once it serves.
    """

    def __init__(self, name, command, env, ready_url):
        self.name, self.command, self.env, self.ready_url = name, command, env, ready_url
        self.process = None
        self.started = 0.0        # time.monotonic() of the last start
        self.ready = False
        self.retry_delay = 0.0    # seconds to wait before the next restart (grows while it keeps failing)
        self.restart_at = None    # time.monotonic() when an exited child is started again
        self.answered = 0.0       # time.monotonic() of its last answer at the ready URL
        self.asked = 0.0          # time.monotonic() of the last liveness question
        self.question = None      # the liveness question in flight (a Future of answers()), if any

    def start(self):
        """Start the process (in its own process group, stopped by the kernel if we die)."""
        self.process = subprocess.Popen(self.command, env=self.env, process_group=0,
                                        preexec_fn=_stop_with_parent(os.getpid()))
        self.started, self.ready, self.restart_at = time.monotonic(), False, None
        self.answered, self.question = self.started, None
        log.info("%s started, pid %d", self.name, self.process.pid)

    def check_ready(self):
        """True once the child answers 200 at its ready URL (remembered once seen)."""
        if not self.ready and self.process.poll() is None:
            self.ready = answers(self.ready_url)
            if self.ready:
                self.answered = time.monotonic()
        return self.ready

    def running(self):
        """True while the process runs."""
        return self.process is not None and self.process.poll() is None


def stop_all(children):
    """SIGTERM to every running child at once, SIGKILL to any still running STOP_TIMEOUT_S later."""
    running = [child for child in children if child.running()]
    for child in running:
        child.process.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for child in running:
        try:
            child.process.wait(max(deadline - time.monotonic(), 0))
        except subprocess.TimeoutExpired:
            log.warning("%s did not stop within %d s; killing it", child.name, STOP_TIMEOUT_S)
            child.process.kill()
            child.process.wait()


def _stop_with_parent(parent_pid):
    """A ``preexec_fn`` asking Linux to send the child SIGTERM when its parent dies (prctl)."""
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1

    def preexec():
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


def answers(url, timeout=1.0):
    """True if ``url`` answers 200 within ``timeout`` seconds."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def free_ports(address, count):
    """``count`` distinct TCP ports on ``address`` that nothing listens on now."""
    sockets = [socket.create_server((address, 0)) for _ in range(count)]
    try:
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def worker_options(args):
    """The user's other ``serve`` options (``--prefix``, ``--auth``, ...) as command-line words.

    Every option not in OWN_OPTIONS whose value differs from its default is repeated, so an option
    added to the CLI later reaches the workers by itself. Options are long options named after their
    ``dest`` (argparse's own rule); a True flag is written bare, a list once per item.
    """
    from dashboard.cli import build_parser

    defaults = vars(build_parser().parse_args(["serve"]))
    words = []
    for dest, value in vars(args).items():
        if dest in OWN_OPTIONS or value == defaults.get(dest):
            continue
        option = "--" + dest.replace("_", "-")
        if value is True:
            words.append(option)
        else:
            words += [word for item in (value if isinstance(value, list) else [value])
                      for word in (option, str(item))]
    return words


def worker_command(port, origins, options):
    """Command line of one worker: ``fndam-explorer serve`` on ``WORKER_ADDRESS:port``."""
    command = [sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port),
               "--address", WORKER_ADDRESS]
    for origin in origins:
        command += ["--allow-websocket-origin", origin]
    return command + options


def public_origins(args):
    """Websocket origins the workers accept: those the user named, else ``localhost:<proxy port>``.

    The same rule as one server's (Bokeh allows ``localhost:<its port>`` unless told otherwise), with the
    proxy's public port in place of the worker's own. The first is taken as the address browsers use
    (the host of Panel's CDN root).
    """
    return list(args.allow_websocket_origin) or [f"localhost:{args.port}"]


def worker_environment(cdn_root, secret):
    """Environment of every worker: ours, Panel's CDN root (:func:`dashboard.proxy.cdn_root`) and the
    installation's secret.

    The command line reads (or generates) the secret once, in the supervisor; every worker gets it by
    environment, so all sign sessions and logins alike (a page from one worker opens its websocket on
    any other, a login holds on all) and N workers never race to create its file.
    """
    env = allocator.jemalloc_environment(os.environ)
    env[proxy.CDN_ENV] = cdn_root
    env[auth.SECRET_ENV] = secret
    return env


def build_children(args, run_dir, secret):
    """The N workers and nginx (not started), with nginx's configuration written into ``run_dir``."""
    prefix = args.prefix  # "" or "/path" (dashboard.cli._prefix)
    origins, options = public_origins(args), worker_options(args)
    env = worker_environment(proxy.cdn_root(origins[0], prefix), secret)
    ports = free_ports(WORKER_ADDRESS, args.workers)
    workers = [Child(f"worker {number} ({WORKER_ADDRESS}:{port})", worker_command(port, origins, options),
                     env, f"http://{WORKER_ADDRESS}:{port}{prefix}{LIVENESS_PATH}")
               for number, port in enumerate(ports, start=1)]
    upstreams = [f"{WORKER_ADDRESS}:{port}" for port in ports]
    site = proxy.site_config(proxy.listen_address(args.address, args.port), upstreams, prefix)
    (run_dir / "nginx.conf").write_text(proxy.main_config(run_dir, site), encoding="utf-8")
    host = "localhost" if args.address in ("0.0.0.0", "::") else args.address
    nginx = Child(f"nginx ({args.address}:{args.port})", proxy.nginx_command(run_dir), dict(os.environ),
                  f"http://{proxy.listen_address(host, args.port)}{prefix}{LIVENESS_PATH}")
    return workers, nginx


class _Stop:
    """Set by SIGINT or SIGTERM: the supervisor stops everything and exits 0."""

    def __init__(self):
        self.signal = None
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self.handle)

    def handle(self, signum, frame):
        self.signal = signal.Signals(signum).name

    def __bool__(self):
        return self.signal is not None


def wait_ready(children, stop):
    """Wait until every child answers; None when they do, else a one-line reason to give up."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not stop:
        for child in children:
            if child.process.poll() is not None:
                return f"{child.name} exited with status {child.process.returncode} before it answered"
        if all(child.check_ready() for child in children):
            return None
        if time.monotonic() > deadline:
            late = ", ".join(c.name for c in children if not c.ready)
            return f"{late} did not answer within {READY_TIMEOUT_S} s"
        time.sleep(POLL_S)
    return None


def supervise(children):
    """One look at every child: schedule a restart for one that exited, start it when due, log it back."""
    now = time.monotonic()
    for child in children:
        code = child.process.poll()
        if code is None:
            if not child.ready and child.check_ready():
                log.info("%s is back after %.1f s", child.name, now - child.started)
            continue
        if child.restart_at is None:
            quick = now - child.started < QUICK_EXIT_S
            child.retry_delay = min(max(2 * child.retry_delay, 1.0), MAX_RETRY_DELAY_S) if quick else 0.0
            child.restart_at = now + child.retry_delay
            log.warning("%s (pid %d) exited with status %s; restarting it in %.0f s",
                        child.name, child.process.pid, code, child.retry_delay)
        elif now >= child.restart_at:
            child.start()


def watch_liveness(workers, timeout, pool):
    """Ask each ready worker's ready URL every LIVENESS_EVERY_S; kill one silent for ``timeout`` s.

    A worker whose event loop is stuck (a deadlock, an endless loop in a callback) still runs, so
    :func:`supervise` alone would never replace it. The questions go to ``pool`` (a thread pool) so
    that a worker that does not answer never holds up the supervisor; the killed worker is then
    restarted by :func:`supervise` like one that died.
    """
    now = time.monotonic()
    for child in workers:
        if not (child.ready and child.running()):
            continue
        if child.question is not None and child.question.done():
            if child.question.result():
                child.answered = now
            child.question = None
        if child.question is None and now - child.asked >= LIVENESS_EVERY_S:
            child.question, child.asked = pool.submit(answers, child.ready_url, timeout), now
        if now - child.answered > timeout:
            log.warning("%s (pid %d) has not answered for %.0f s; killing it", child.name,
                        child.process.pid, now - child.answered)
            child.process.kill()
            child.process.wait()


def _count(workers):
    """'1 worker', '2 workers', ... for log lines."""
    return f"{len(workers)} worker{'s' if len(workers) != 1 else ''}"


def serve_workers(args, secret):
    """Run ``args.workers`` app servers behind nginx until SIGINT or SIGTERM; return the exit status.

    ``args`` is the parsed ``fndam-explorer serve`` namespace, ``secret`` the installation's secret
    (:func:`dashboard.auth.cookie_secret`). Returns 0 after a signal, 1 (with one line on stderr) if
    nginx is missing or the servers never answered.
    """
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    missing = proxy.missing_nginx()
    if missing:
        sys.stderr.write(f"fndam-explorer: error: {missing}\n")
        return 1
    stop = _Stop()  # from here on a signal only sets it: the cleanup below always runs
    run_dir = proxy.make_run_dir()
    workers, nginx = build_children(args, run_dir, secret)
    log.info("nginx configuration: %s", run_dir / "nginx.conf")
    children = [*workers, nginx]
    timeout = args.worker_timeout or WORKER_TIMEOUT_S
    pool = ThreadPoolExecutor(max_workers=len(workers), thread_name_prefix="liveness")
    try:
        for worker in workers:
            worker.start()
        problem = wait_ready(workers, stop)
        if not problem and not stop:
            nginx.start()
            problem = wait_ready([nginx], stop)
        if problem:
            sys.stderr.write(f"fndam-explorer: error: {problem}; see the lines above\n")
            return 1
        if not stop:
            log.info("serving http://%s:%d%s/ with %s behind nginx (Ctrl-C stops all)",
                     args.address, args.port, args.prefix, _count(workers))
        while not stop:
            supervise(children)
            watch_liveness(workers, timeout, pool)
            time.sleep(POLL_S)
        log.info("%s: stopping nginx and %s", stop.signal, _count(workers))
        return 0
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        stop_all([nginx])  # first: no request reaches a worker that is stopping
        stop_all(workers)
        shutil.rmtree(run_dir, ignore_errors=True)
