"""Checks what schemas cannot: that docker-compose.yml and deploy/k8s agree with the service's
configuration (ports, probe paths, shutdown timings) and with each other. The defaults come
from .env.example, which lists every variable with its default. Run by validate-deploy.sh
with the Python of its tools (PyYAML comes with kubernetes-validate)."""

import glob
import re
import sys

import yaml

ENTRYPOINTS = {
    "dist/main.js": "PORT",
    "dist/worker.js": "WORKER_HEALTH_PORT",
    "dist/sync-indexes.js": None,
    "dist/migrate.js": None,
    "dist/legacy-account.js": None,
}
problems = []


def check(ok, message):
    if not ok:
        problems.append(message)


def duration_seconds(text):
    match = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?", str(text))
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


defaults = dict(re.findall(r"^([A-Z_]+)=(.*)$", open(".env.example").read(), re.M))

# Kubernetes
files = sorted(glob.glob("deploy/k8s/*.yaml")) + sorted(glob.glob("deploy/k8s/one-off/*.yaml"))
documents = [d for f in files for d in yaml.safe_load_all(open(f)) if d]
by_kind = {}
for document in documents:
    by_kind.setdefault(document["kind"], []).append(document)
env = {**defaults, **by_kind["ConfigMap"][0]["data"]}
grace = int(env["SHUTDOWN_GRACE_MS"]) / 1000
check(env.get("MONGODB_AUTO_INDEX") == "false" or env["NODE_ENV"] == "production",
      "ConfigMap: the pods would build indexes at boot")

for workload in by_kind["Deployment"] + by_kind["Job"]:
    name = workload["metadata"]["name"]
    pod = workload["spec"]["template"]["spec"]
    for container in pod["containers"]:
        command = container.get("command", [])
        entry = command[1] if command[:1] == ["node"] and len(command) > 1 else None
        check(entry in ENTRYPOINTS, f"{name}: command {command} is none of the image's entrypoints")
        check(container["image"].split(":")[0] == "todo-service", f"{name}: another image")
        port_variable = ENTRYPOINTS.get(entry)
        if port_variable is None:
            continue
        ports = {p.get("name"): p["containerPort"] for p in container.get("ports", [])}
        check(list(ports.values()) == [int(env[port_variable])],
              f"{name}: containerPort {list(ports.values())} is not {port_variable}={env[port_variable]}")
        for probe, path in (("startupProbe", "/health/live"), ("livenessProbe", "/health/live"),
                            ("readinessProbe", "/health/ready")):
            http = container.get(probe, {}).get("httpGet", {})
            check(http.get("path") == path, f"{name}: {probe} does not ask {path}")
            check(ports.get(http.get("port"), http.get("port")) == int(env[port_variable]),
                  f"{name}: {probe} port is not {port_variable}")
        sleep = container.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command", [])
        pre_stop = int(sleep[1]) if sleep[:1] == ["sleep"] else 0
        check(pod["terminationGracePeriodSeconds"] > pre_stop + grace,
              f"{name}: terminationGracePeriodSeconds {pod['terminationGracePeriodSeconds']} s does not "
              f"cover preStop {pre_stop} s + SHUTDOWN_GRACE_MS {grace:g} s")

api = next(d for d in by_kind["Deployment"] if "dist/main.js" in d["spec"]["template"]["spec"]["containers"][0]["command"])
api_labels = api["spec"]["template"]["metadata"]["labels"]
for kind in ("Service", "PodDisruptionBudget"):
    for document in by_kind[kind]:
        spec = document["spec"]
        selector = spec["selector"].get("matchLabels", spec["selector"])
        check(selector.items() <= api_labels.items(), f"{kind} {document['metadata']['name']} selects no API pod")
for service in by_kind["Service"]:
    api_ports = [p["name"] for p in api["spec"]["template"]["spec"]["containers"][0]["ports"]]
    check(all(p["targetPort"] in api_ports for p in service["spec"]["ports"]), "Service targets no API port")
for hpa in by_kind["HorizontalPodAutoscaler"]:
    check(hpa["spec"]["scaleTargetRef"]["name"] == api["metadata"]["name"], "the HPA scales another Deployment")

# Docker Compose
services = yaml.safe_load(open("docker-compose.yml"))["services"]
for name in ("api", "worker", "sync-indexes"):
    service = services[name]
    service_env = {**defaults, **service["environment"]}
    check(service_env["NODE_ENV"] == "production", f"compose {name}: NODE_ENV is not production")
    # The processes exit at the latest SHUTDOWN_GRACE_MS after SIGTERM (SHUTDOWN_DELAY_MS included).
    stop = duration_seconds(service.get("stop_grace_period", "10s"))
    needed = int(service_env["SHUTDOWN_GRACE_MS"]) / 1000
    check(stop > needed, f"compose {name}: stop_grace_period {stop} s does not cover SHUTDOWN_GRACE_MS {needed:g} s")
for name, variable in (("api", "PORT"), ("worker", "WORKER_HEALTH_PORT")):
    port = {**defaults, **services[name]["environment"]}[variable]
    test = " ".join(services[name]["healthcheck"]["test"])
    check(f"127.0.0.1:{port}/health/" in test, f"compose {name}: the healthcheck does not ask port {port}")
    if name == "api":
        check(f"api:{port};" in services["nginx"]["environment"]["API_UPSTREAM_SERVERS"],
              f"compose nginx: API_UPSTREAM_SERVERS does not name api:{port}")
check(services["sync-indexes"]["command"] == ["node", "dist/sync-indexes.js"], "compose sync-indexes: command")
for name in ("api", "worker"):
    condition = services[name]["depends_on"].get("sync-indexes", {}).get("condition")
    check(condition == "service_completed_successfully", f"compose {name}: does not wait for the index sync")

for problem in problems:
    print(problem, file=sys.stderr)
sys.exit(1 if problems else 0)
