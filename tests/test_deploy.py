"""deploy/: the several-hosts recipe run for real (app hosts simulated by 127.0.0.2 and 127.0.0.3, one
nginx in front, under a prefix, one secret shared by the hosts), and the Kubernetes manifests parsed
and checked against the code."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from http_helpers import fetch, websocket_status
from proxy_helpers import TOKEN, health_worker, visit
from proxy_helpers import worker as worker_of

from dashboard import proxy
from dashboard.auth import SECRET_ENV
from dashboard.cli import build_parser
from dashboard.serving import LIVENESS_PATH
from dashboard.testing import free_port, responds, wait_until

DEPLOY = Path(__file__).parent.parent / "deploy"
KUBERNETES = DEPLOY / "kubernetes"
HOSTS = ("127.0.0.2", "127.0.0.3")
PREFIX = "/fndam"


def app_host_command(host, port, public):
    """What deploy/README.md runs on each app host."""
    return [sys.executable, "-m", "dashboard.cli", "serve", "--address", host, "--port", str(port),
            "--prefix", PREFIX, "--allow-websocket-origin", public]


def proxy_site(public_port, app_port):
    """What deploy/README.md runs on the proxy host: the nginx site part for every app host."""
    workers = [word for host in HOSTS for word in ("--worker", f"{host}:{app_port}")]
    command = [sys.executable, "-m", "dashboard.proxy", "--listen", f"127.0.0.1:{public_port}",
               "--prefix", PREFIX, *workers]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def campus(tmp_path_factory):
    """Two app 'hosts' and an nginx in front, started as deploy/README.md says; yields the public URL
    and the app hosts' addresses."""
    if missing := proxy.missing_nginx():
        pytest.fail(missing, pytrace=False)
    tmp = tmp_path_factory.mktemp("campus")
    app_port, public_port = free_port(), free_port()
    public = f"localhost:{public_port}"
    env = {**os.environ, proxy.CDN_ENV: proxy.cdn_root(public, PREFIX), SECRET_ENV: secrets.token_urlsafe(32)}
    processes = []
    try:
        with open(tmp / "apps.log", "w") as log:
            for host in HOSTS:
                processes.append(subprocess.Popen(app_host_command(host, app_port, public), env=env,
                                                  stdout=log, stderr=subprocess.STDOUT))
        run_dir = proxy.make_run_dir(tmp)
        (run_dir / "nginx.conf").write_text(proxy.main_config(run_dir, proxy_site(public_port, app_port)))
        with open(tmp / "nginx.log", "w") as log:
            processes.append(subprocess.Popen(proxy.nginx_command(run_dir), stdout=log,
                                              stderr=subprocess.STDOUT))
        for host in HOSTS:
            wait_until(lambda h=host: responds(f"http://{h}:{app_port}{PREFIX}{LIVENESS_PATH}"),
                       timeout=60_000, interval=200)
        url = f"http://{public}{PREFIX}/"
        wait_until(lambda: responds(url.rstrip("/") + LIVENESS_PATH), timeout=20_000)
        yield url, {f"{host}:{app_port}" for host in HOSTS}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(15)


def test_browsers_spread_over_both_hosts_and_each_stays_on_one(campus):
    url, hosts = campus
    assert {health_worker(url)[0] for _ in range(20)} == hosts
    for _ in range(2):
        seen = visit(url)
        assert seen.page_worker in hosts
        assert seen.websocket_worker == seen.page_worker
        assert seen.first_message["msgtype"] == "ACK"


def test_hosts_that_share_the_secret_accept_each_others_session_tokens(campus):
    url, hosts = campus
    page = fetch(url)
    token = TOKEN.search(page.text)[1]
    origin = "http://" + url.split("/")[2]  # the public address the hosts allow
    for host in hosts:  # straight to each app host, past nginx
        assert websocket_status(f"http://{host}/", f"{PREFIX}/ws", token, origin=origin) == 101, (
            f"{host} refused a token from {worker_of(page.headers)}")


def test_static_files_and_the_cdn_net_come_from_the_proxy_under_the_prefix(campus):
    url, _ = campus
    assert 'src="static/js/bokeh.min.js' in fetch(url).text  # relative: under the prefix
    for path in ("static/js/bokeh.min.js", "static/extensions/panel/panel.min.js",
                 "panel-cdn/1.0.0/dist/bundled/theme/default.css"):
        response = fetch(url + path)
        assert response.status == 200, path
        assert "X-Upstream" not in response.headers, path
    assert fetch(url.replace(PREFIX + "/", "/") + "static/js/bokeh.min.js").status == 404


def manifests():
    """Every document of every YAML file in deploy/kubernetes, by kind and name."""
    docs = {}
    for path in sorted(KUBERNETES.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            docs[(doc["kind"], doc["metadata"]["name"])] = doc
    return docs


def test_the_manifests_parse_into_a_deployment_a_service_and_two_ingresses():
    assert sorted(manifests()) == [("Deployment", "fndam-explorer"), ("Ingress", "fndam-explorer"),
                                   ("Ingress", "fndam-explorer-panel-cdn"), ("Service", "fndam-explorer")]
    patch = yaml.safe_load((KUBERNETES / "controller" / "header-buffers-patch.yaml").read_text())
    assert patch["data"]["large-client-header-buffers"] == proxy.HEADER_BUFFERS


def test_the_deployment_runs_the_cli_as_the_code_defines_it():
    docs = manifests()
    deployment = docs[("Deployment", "fndam-explorer")]
    pod = deployment["spec"]["template"]
    container = pod["spec"]["containers"][0]
    args = build_parser().parse_args(container["args"])  # the CLI accepts them
    port = container["ports"][0]
    assert args.port == port["containerPort"] == build_parser().parse_args(["serve"]).port
    assert args.address == "0.0.0.0"
    for probe in ("livenessProbe", "readinessProbe"):
        assert container[probe]["httpGet"] == {"path": LIVENESS_PATH, "port": port["name"]}
    host = docs[("Ingress", "fndam-explorer")]["spec"]["rules"][0]["host"]
    assert args.allow_websocket_origin == [host]
    env = {item["name"]: item for item in container["env"]}
    assert env[proxy.CDN_ENV]["value"] == proxy.cdn_root(host)
    # every pod gets the one secret from the Secret deploy/README.md has the administrator create
    shared = env[SECRET_ENV]["valueFrom"]["secretKeyRef"]
    assert "value" not in env[SECRET_ENV]  # never written into the manifest
    assert shared.get("optional", False) is False  # no Secret, no pod: never a secret per pod
    created = re.search(r"kubectl create secret generic (\S+) \\\n\s*--from-literal=([\w-]+)=",
                        (DEPLOY / "README.md").read_text())
    assert created, "deploy/README.md does not say how to create the Secret"
    assert {"name": created[1], "key": created[2]} == {"name": shared["name"], "key": shared["key"]}
    labels = pod["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"] == labels
    service = docs[("Service", "fndam-explorer")]
    assert service["spec"]["selector"] == labels
    assert service["spec"]["ports"][0]["targetPort"] == port["name"]


def test_the_ingresses_keep_a_browser_on_one_pod_like_our_nginx():
    docs = manifests()
    app = docs[("Ingress", "fndam-explorer")]
    notes = app["metadata"]["annotations"]
    key = "nginx.ingress.kubernetes.io/"
    assert notes[key + "affinity"] == "cookie"
    assert notes[key + "session-cookie-name"] == proxy.ROUTE_COOKIE
    assert int(notes[key + "proxy-read-timeout"]) == proxy.WEBSOCKET_TIMEOUT_S
    assert int(notes[key + "proxy-send-timeout"]) == proxy.WEBSOCKET_TIMEOUT_S
    assert notes[key + "proxy-buffer-size"] == proxy.PROXY_BUFFER_SIZE
    cdn = docs[("Ingress", "fndam-explorer-panel-cdn")]
    path = cdn["spec"]["rules"][0]["http"]["paths"][0]["path"]
    assert path == f"{proxy.CDN_PATH}[^/]+/dist/(.*)"
    assert cdn["metadata"]["annotations"][key + "rewrite-target"] == "/static/extensions/panel/$1"
    assert "/static/extensions/panel/" in proxy.static_dirs()
    service = docs[("Service", "fndam-explorer")]["metadata"]["name"]
    for ingress in (app, cdn):
        rule = ingress["spec"]["rules"][0]
        assert rule["host"] == app["spec"]["rules"][0]["host"]
        assert rule["http"]["paths"][0]["backend"]["service"] == {"name": service, "port": {"name": "http"}}


def test_the_containerfile_serves_on_the_deployments_port():
    text = (DEPLOY / "Containerfile").read_text()
    assert "EXPOSE 5006" in text
    assert 'CMD ["serve", "--address", "0.0.0.0", "--port", "5006"]' in text
    assert build_parser().parse_args(["serve"]).port == 5006
