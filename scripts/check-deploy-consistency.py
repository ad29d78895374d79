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

def redis_flags(command):
    """`--name value` pairs of a redis-server command line."""
    args = [str(a) for a in command]
    return {args[i][2:]: args[i + 1] for i in range(len(args) - 1) if args[i].startswith("--")}


def is_cache_redis(workload):
    return workload["spec"]["template"]["spec"]["containers"][0]["image"].startswith("redis:")


# The cache's Redis may evict (the service reads a lost key as "ask MongoDB"): it must, under
# a maxmemory, or it grows until the node kills it.
cache_redis = [d for d in by_kind["Deployment"] if is_cache_redis(d)]
check(len(cache_redis) == 1, "k8s: no Deployment of the cache's Redis (redis: image)")
for workload in cache_redis:
    flags = redis_flags(workload["spec"]["template"]["spec"]["containers"][0].get("args", []))
    check(flags.get("maxmemory-policy") == "allkeys-lru" and "maxmemory" in flags,
          f"{workload['metadata']['name']}: the cache's Redis does not run allkeys-lru under a maxmemory")
secret_data = by_kind["Secret"][0]["stringData"]
cache_host = re.sub(r"^rediss?://([^@/]*@)?", "", secret_data.get("CACHE_REDIS_URL", "")).split(":")[0]
check(any(s["metadata"]["name"] == cache_host for s in by_kind["Service"]),
      f"Secret: CACHE_REDIS_URL names no Service ({cache_host!r})")

for workload in [d for d in by_kind["Deployment"] if not is_cache_redis(d)] + by_kind["Job"]:
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

api = next(d for d in by_kind["Deployment"] if "dist/main.js" in d["spec"]["template"]["spec"]["containers"][0].get("command", []))
api_labels = api["spec"]["template"]["metadata"]["labels"]
for document in by_kind["PodDisruptionBudget"]:
    selector = document["spec"]["selector"]["matchLabels"]
    check(selector.items() <= api_labels.items(), f"PodDisruptionBudget {document['metadata']['name']} selects no API pod")
for service in by_kind["Service"]:
    name = service["metadata"]["name"]
    selected = [d for d in by_kind["Deployment"]
                if service["spec"]["selector"].items() <= d["spec"]["template"]["metadata"]["labels"].items()]
    check(len(selected) == 1, f"Service {name} selects {len(selected)} Deployments, not one")
    ports = [p["name"] for d in selected for p in d["spec"]["template"]["spec"]["containers"][0]["ports"]]
    check(all(p["targetPort"] in ports for p in service["spec"]["ports"]), f"Service {name} targets no port of its pods")
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
# BullMQ's Redis never evicts; the cache's evicts under a maxmemory, and the processes use it.
check(redis_flags(services["redis"]["command"]).get("maxmemory-policy") == "noeviction",
      "compose redis: not noeviction (BullMQ's keys must never be evicted)")
cache_flags = redis_flags(services["cache-redis"]["command"])
check(cache_flags.get("maxmemory-policy") == "allkeys-lru" and "maxmemory" in cache_flags,
      "compose cache-redis: not allkeys-lru under a maxmemory")
for name in ("api", "worker"):
    url = {**defaults, **services[name]["environment"]}.get("CACHE_REDIS_URL", "")
    check(url.startswith("redis://cache-redis:"), f"compose {name}: CACHE_REDIS_URL does not name cache-redis")
    check(services[name]["depends_on"].get("cache-redis", {}).get("condition") == "service_healthy",
          f"compose {name}: does not wait for cache-redis")
for name in ("api", "worker"):
    condition = services[name]["depends_on"].get("sync-indexes", {}).get("condition")
    check(condition == "service_completed_successfully", f"compose {name}: does not wait for the index sync")

for problem in problems:
    print(problem, file=sys.stderr)
sys.exit(1 if problems else 0)
