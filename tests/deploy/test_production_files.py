"""The production deployment files, checked without a Docker engine.

docker-compose.yml, Dockerfile, .dockerignore, .env.example and deploy/ are read as data: compose with
PyYAML (merge keys resolved, as compose resolves them), the Dockerfile instruction by instruction, the
RabbitMQ definitions as JSON. One test also runs `docker compose config` when a compose binary exists.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from services.common.runtime import BACKGROUND_PROCESSES

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
ENV_EXAMPLE = ROOT / ".env.example"
INIT_SQL = ROOT / "deploy" / "postgres" / "init.sql"
DEFINITIONS = ROOT / "deploy" / "rabbitmq" / "definitions.json"
RABBITMQ_CONF = ROOT / "deploy" / "rabbitmq" / "rabbitmq.conf"

API_PORTS = {"registry": 5001, "contracting": 5002, "notifications": 5003}

# Every process of the platform that runs from our image, and the command it runs.
PYTHON_COMMANDS = {
    "migrate": ["sscp", "migrate"],
    "notifications-dispatcher": ["sscp", "dispatch", "notifications"],
    "create-accounts": ["sscp", "create-accounts", "--operator-email"],
    **{
        f"{name}-api": ["gunicorn", "-c", "deploy/gunicorn.conf.py", f"services.{name}.entrypoints.wsgi:app"]
        for name in API_PORTS
    },
    **{f"{name}-relay": ["sscp", "relay", name] for name in API_PORTS},
    "contracting-consumer": ["sscp", "consume", "contracting"],
    "notifications-worker": ["sscp", "consume", "notifications"],
    "portal": ["gunicorn", "-c", "deploy/gunicorn.conf.py", "services.portal.entrypoints.wsgi:app"],
    "flow-bridge": ["sscp", "bridge"],
    "prefect-deploy": ["sscp", "flows", "deploy", "--pool", "sscp-pool"],
    "prefect-worker": ["prefect", "worker", "start", "--pool", "sscp-pool", "--type", "process"],
}
ONE_SHOT_JOBS = {"migrate", "create-accounts", "prefect-deploy"}
INFRASTRUCTURE_IMAGES = {
    "postgres": "postgres:16",
    "rabbitmq": "rabbitmq:3.13-management",
}
DATABASES = {"registry", "contracting", "notifications", "prefect"}
NAMED_VOLUMES = {"pgdata", "rabbitmq-data", "jwt-keys", "documents"}

# Must never carry a default: compose has to refuse to start without them.
SECRET_VARIABLES = {"POSTGRES_PASSWORD", "RABBITMQ_PASSWORD", "FLOWS_SERVICE_PASSWORD", "OPERATOR_PASSWORD"}
SECRET_NAME = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|API_KEY|PRIVATE_KEY", re.IGNORECASE)

# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}, ${NAME:+alt}, and $NAME.
BRACED_REFERENCE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<modifier>:?[-?+][^}]*)?\}")
BARE_REFERENCE = re.compile(r"\$(?P<name>[A-Za-z_][A-Za-z0-9_]*)")

QUEUE_BINDINGS = {
    "contracting.registry-events": {"provider.#", "accreditation.#", "service_type.#", "reference_cost.#"},
    "notifications.events": {"#"},
    "bridge.stage-events": {
        "tender.published",
        "tender.deadline_moved",
        "evaluation.scores_complete",
        "evaluation.completed",
        "complaint.upheld",
        "complaint.rejected",
    },
}


# --------------------------------------------------------------------------------------------- helpers


def load_compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def services() -> dict[str, dict]:
    return load_compose()["services"]


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: str(value) for key, value in env.items()}


def depends_on(service: dict) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return {name: "service_started" for name in deps}
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def strings_in(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings_in(value)]
    if isinstance(node, list):
        return [s for item in node for s in strings_in(item)]
    return []


def variable_references(text: str) -> list[tuple[str, str]]:
    """(name, modifier) of every interpolation in a compose string; `$$` is a literal dollar."""
    text = text.replace("$$", "")
    found = [(m["name"], m["modifier"] or "") for m in BRACED_REFERENCE.finditer(text)]
    found += [(m["name"], "") for m in BARE_REFERENCE.finditer(BRACED_REFERENCE.sub("", text))]
    return found


def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", line)
        if match:
            values[match[1]] = match[2]
    return values


def healthcheck_command(service: dict) -> str:
    test = (service.get("healthcheck") or {}).get("test")
    if isinstance(test, list):
        return " ".join(test[1:]) if test and test[0] in ("CMD", "CMD-SHELL") else " ".join(test)
    return test or ""


def volume_mounts(service: dict) -> list[tuple[str, str]]:
    """(source, target) of every volume of a service, short or long syntax."""
    mounts = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            source, target = volume.split(":")[:2]
        else:
            source, target = volume.get("source", ""), volume["target"]
        mounts.append((source, target))
    return mounts


def is_bind_mount(source: str) -> bool:
    return source.startswith((".", "/", "~", "$"))


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    instructions, pending = [], ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#") or (not line and not pending):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        pending += line
        keyword, _, arguments = pending.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for keyword, arguments in dockerfile_instructions():
        if keyword == "FROM":
            stages.append([])
        if stages:
            stages[-1].append((keyword, arguments))
    return stages


def key_values(arguments: str) -> dict[str, str | None]:
    """ENV/ARG arguments as {name: value or None}; also the legacy `ENV NAME value` form."""
    words = shlex.split(arguments)
    if len(words) >= 2 and "=" not in words[0]:
        return {words[0]: " ".join(words[1:])}
    return {w.split("=", 1)[0]: (w.split("=", 1)[1] if "=" in w else None) for w in words}


def resolve_build_args(text: str) -> str:
    defaults = {}
    for keyword, arguments in dockerfile_instructions():
        if keyword == "ARG":
            defaults.update({k: v for k, v in key_values(arguments).items() if v is not None})
    return re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: defaults.get(m[1], m[0]), text)


def dockerignore_excludes(path: str) -> bool:
    """Docker's rule: the last matching pattern wins; `!` re-includes; `**/` matches any depth (or none)."""
    excluded = False
    for raw in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        candidates = {pattern, pattern.removeprefix("**/")}
        parts = path.strip("/").split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(fnmatch.fnmatchcase(prefix, c) for prefix in prefixes for c in candidates) or any(
            fnmatch.fnmatchcase(part, c.removeprefix("**/")) for part in parts for c in candidates if "**/" in c
        ):
            excluded = not negate
    return excluded


def _runs(command: list[str]) -> bool:
    try:
        return subprocess.run(command, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def definitions() -> dict:
    return json.loads(DEFINITIONS.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------- compose


def test_every_python_process_runs_from_the_one_image():
    all_services = services()
    built_here = {name for name, service in all_services.items() if "build" in service}
    assert built_here == set(PYTHON_COMMANDS)

    images = {all_services[name]["image"] for name in PYTHON_COMMANDS}
    builds = {json.dumps(all_services[name]["build"], sort_keys=True) for name in PYTHON_COMMANDS}
    assert len(images) == 1, f"the Python processes use several images: {images}"
    assert len(builds) == 1, f"the Python processes are built differently: {builds}"

    build = all_services["migrate"]["build"]
    assert (ROOT / build["context"] / build.get("dockerfile", "Dockerfile")).resolve() == DOCKERFILE


def test_the_common_environment_is_written_once_through_the_python_service_anchor():
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    assert "x-python-service: &python-service" in text
    for name in PYTHON_COMMANDS:
        assert re.search(rf"^  {re.escape(name)}:\n    <<: \*python-service$", text, re.MULTILINE), name
    for variable in ("BUS_URL", "REGISTRY_DATABASE_URL", "JWKS_URL", "PREFECT_API_URL", "FLOWS_SERVICE_PASSWORD"):
        assert len(re.findall(rf"^\s+{variable}:", text, re.MULTILINE)) == 1, f"{variable} is written twice"


def test_each_process_runs_its_documented_command():
    all_services = services()
    for name, command in PYTHON_COMMANDS.items():
        actual = all_services[name]["command"]
        actual = shlex.split(actual) if isinstance(actual, str) else actual
        assert actual[: len(command)] == command, name


def test_the_prefect_worker_starts_a_bounded_number_of_flow_runs_at_once():
    # Unbounded, a process worker starts one interpreter per due run: a national deadline's every call at once.
    command = services()["prefect-worker"]["command"]
    limit = command[command.index("--limit") + 1]
    assert limit == "${PREFECT_WORKER_LIMIT:-8}"
    assert int(env_example()["PREFECT_WORKER_LIMIT"]) == 8


def test_infrastructure_runs_on_the_pinned_images():
    all_services = services()
    for name, image in INFRASTRUCTURE_IMAGES.items():
        assert all_services[name]["image"] == image
    assert set(all_services) == set(PYTHON_COMMANDS) | set(INFRASTRUCTURE_IMAGES) | {"prefect-server"}


def test_every_python_process_gets_the_platform_environment():
    all_services = services()
    for name in PYTHON_COMMANDS:
        env = environment(all_services[name])
        for service, port in API_PORTS.items():
            url = env[f"{service.upper()}_DATABASE_URL"]
            assert re.fullmatch(
                rf"postgresql://postgres:\$\{{POSTGRES_PASSWORD:\?[^}}]*\}}@postgres:5432/{service}", url
            )
            assert env[f"{service.upper()}_URL"] == f"http://{service}-api:{port}"
        assert re.fullmatch(
            r"amqp://\$\{RABBITMQ_USER[^}]*\}:\$\{RABBITMQ_PASSWORD:\?[^}]*\}@rabbitmq:5672//", env["BUS_URL"]
        )
        assert env["PREFECT_API_URL"] == "http://prefect-server:4200/api"
        assert env["JWKS_URL"] == "http://registry-api:5001/.well-known/jwks.json"
        assert env["FLOWS_SERVICE_PASSWORD"].startswith("${FLOWS_SERVICE_PASSWORD:?")
        assert env["OCID_PREFIX"] == "${OCID_PREFIX:-ocds-sscp01}"
        assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
        assert env["LOG_FORMAT"] == "json"


def test_each_api_listens_on_its_port_and_is_probed_on_readyz_there():
    all_services = services()
    for service, port in API_PORTS.items():
        api = all_services[f"{service}-api"]
        env = environment(api)
        assert env["SERVICE_NAME"] == service
        assert env["PORT"] == str(port)
        assert f"http://127.0.0.1:{port}/readyz" in healthcheck_command(api)
        assert any(str(p).endswith(f":{port}:{port}") for p in api.get("ports", [])), f"{service} port not published"


def test_notifications_processes_get_the_mail_settings():
    all_services = services()
    for name in ("notifications-api", "notifications-worker", "notifications-dispatcher"):
        env = environment(all_services[name])
        assert {"SMTP_HOST", "SMTP_PORT", "SMTP_FROM"} <= set(env), name


def test_python_health_checks_use_python_because_the_slim_image_has_no_curl():
    all_services = services()
    for name in [*PYTHON_COMMANDS, "prefect-server"]:
        command = healthcheck_command(all_services[name])
        if command:
            assert "curl" not in command and "wget" not in command, name
            assert command.startswith(("python -c", "sscp health heartbeat")), name


# Long-running, yet no HTTP to probe: each loop's heartbeat file is what says it still turns.
HEARTBEAT_PROCESSES = {
    "registry-relay",
    "contracting-relay",
    "notifications-relay",
    "contracting-consumer",
    "notifications-worker",
    "notifications-dispatcher",
    "flow-bridge",
}


def test_every_long_running_process_without_http_is_probed_by_its_own_heartbeat():
    all_services = services()
    for name in HEARTBEAT_PROCESSES:
        service = all_services[name]
        assert healthcheck_command(service) == f"sscp health heartbeat {name} --max-age 60", name
        # the heartbeat file is named as the process is in deploy/Procfile and in its logs
        assert environment(service)["PROCESS_NAME"] == name
        assert str(service["restart"]) == "unless-stopped", name


def test_every_process_of_the_embedded_procfiles_runs_as_a_compose_service_that_restarts():
    procfile_names = set()
    for procfile in ("Procfile", "Procfile.production"):
        for line in (ROOT / "deploy" / procfile).read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                procfile_names.add(line.split(":", 1)[0])
    all_services = services()
    compose_names = {"registry": "registry-api", "contracting": "contracting-api", "prefect": "prefect-server"}
    compose_names |= {"notifications": "notifications-api", "flow-runner": "prefect-worker"}
    for name in procfile_names:
        # `sscp background SERVICE` runs on one machine what compose runs as one container per loop
        loops = BACKGROUND_PROCESSES[name.removesuffix("-background")] if name.endswith("-background") else (name,)
        for loop in loops:
            service = all_services[compose_names.get(loop, loop)]
            assert str(service["restart"]) in ("unless-stopped", "always", "on-failure"), loop


def test_every_long_running_service_is_health_checked_or_waits_for_healthy_dependencies():
    all_services = services()
    for name, service in all_services.items():
        assert "restart" in service, f"{name} does not say whether it restarts"
        if str(service["restart"]) == "no":
            continue
        healthcheck = service.get("healthcheck") or {}
        if healthcheck and not healthcheck.get("disable"):
            continue
        conditions = depends_on(service)
        assert conditions, f"{name} has neither a healthcheck nor dependencies"
        assert set(conditions.values()) <= {"service_healthy", "service_completed_successfully"}, name


def test_dependency_conditions_can_be_met():
    all_services = services()
    for name, service in all_services.items():
        for dependency, condition in depends_on(service).items():
            assert dependency in all_services, f"{name} depends on unknown {dependency}"
            if condition == "service_healthy":
                assert all_services[dependency].get("healthcheck"), f"{dependency} has no healthcheck"
            if condition == "service_completed_successfully":
                assert dependency in ONE_SHOT_JOBS, f"{dependency} never completes"


def test_the_apis_start_only_after_the_migrations_completed():
    all_services = services()
    for service in API_PORTS:
        conditions = depends_on(all_services[f"{service}-api"])
        assert conditions.get("migrate") == "service_completed_successfully"
        assert conditions.get("postgres") == "service_healthy"
    assert depends_on(all_services["migrate"]) == {"postgres": "service_healthy"}


def test_one_shot_jobs_run_once_and_flows_start_after_their_deployments_and_account_exist():
    all_services = services()
    for name in ONE_SHOT_JOBS:
        assert str(all_services[name]["restart"]) == "no", name
    assert depends_on(all_services["prefect-deploy"])["prefect-server"] == "service_healthy"
    assert depends_on(all_services["create-accounts"])["migrate"] == "service_completed_successfully"
    assert environment(all_services["create-accounts"])["OPERATOR_PASSWORD"].startswith("${OPERATOR_PASSWORD:?")
    for name in ("prefect-worker", "flow-bridge"):
        conditions = depends_on(all_services[name])
        assert conditions["prefect-deploy"] == "service_completed_successfully", name
        assert conditions["create-accounts"] == "service_completed_successfully", name


def test_prefect_server_keeps_its_state_in_postgres_without_analytics():
    server = services()["prefect-server"]
    env = environment(server)
    assert re.fullmatch(
        r"postgresql\+asyncpg://postgres:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432/prefect",
        env["PREFECT_SERVER_DATABASE_CONNECTION_URL"],
    )
    assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert server["command"] == ["sscp", "flows", "server", "--host", "0.0.0.0"]
    assert server["image"] == "${SSCP_IMAGE:-sscp:latest}", "the platform's image carries the scheduler fix"
    assert "http://127.0.0.1:4200/api/health" in healthcheck_command(server)
    assert depends_on(server) == {"postgres": "service_healthy"}


def test_the_prefect_worker_can_be_scaled():
    worker = services()["prefect-worker"]
    assert "container_name" not in worker
    assert not worker.get("ports"), "a published host port would stop a second replica from starting"
    replicas = str(worker["deploy"]["replicas"])
    assert replicas.isdigit() or variable_references(replicas)


def test_the_broker_and_database_are_configured_from_the_repository():
    all_services = services()
    postgres, rabbitmq = all_services["postgres"], all_services["rabbitmq"]
    assert ("./deploy/postgres/init.sql" in dict(volume_mounts(postgres))) and dict(volume_mounts(postgres))[
        "./deploy/postgres/init.sql"
    ].startswith("/docker-entrypoint-initdb.d/")
    assert "pg_isready" in healthcheck_command(postgres)
    assert healthcheck_command(rabbitmq) == "rabbitmq-diagnostics -q ping"
    published = {str(p).rsplit(":", 1)[-1] for p in rabbitmq["ports"]}
    assert published == {"5672", "15672"}


def test_named_volumes_are_declared_and_mounted_where_the_data_lives():
    compose = load_compose()
    assert set(compose["volumes"]) == NAMED_VOLUMES
    used = set()
    for name, service in compose["services"].items():
        for source, _target in volume_mounts(service):
            if not is_bind_mount(source):
                assert source in NAMED_VOLUMES, f"{name} mounts undeclared volume {source}"
                used.add(source)
    assert used == NAMED_VOLUMES, f"declared but unused: {NAMED_VOLUMES - used}"
    assert ("pgdata", "/var/lib/postgresql/data") in volume_mounts(compose["services"]["postgres"])
    assert ("rabbitmq-data", "/var/lib/rabbitmq") in volume_mounts(compose["services"]["rabbitmq"])
    assert ("documents", "/app/var/documents") in volume_mounts(compose["services"]["contracting-api"])


def test_the_signing_keys_volume_is_mounted_only_where_keys_are_made_or_used():
    # `sscp migrate` creates the registry's first key; registry-api signs with it. Nobody else holds it.
    all_services = services()
    holders = {name for name, s in all_services.items() if any(src == "jwt-keys" for src, _ in volume_mounts(s))}
    assert holders == {"registry-api", "migrate"}
    for name in holders:
        assert ("jwt-keys", "/app/var/keys") in volume_mounts(all_services[name])
        assert environment(all_services[name])["JWT_KEYS_DIR"] == "/app/var/keys"


def test_every_bind_mounted_file_exists_in_the_repository():
    for name, service in services().items():
        for source, _target in volume_mounts(service):
            if source.startswith("./"):
                assert (ROOT / source).is_file(), f"{name} mounts missing {source}"


def test_no_secret_is_written_literally_in_the_compose_file():
    compose = load_compose()
    for name, service in compose["services"].items():
        for key, value in environment(service).items():
            if SECRET_NAME.search(key):
                references = variable_references(value)
                assert re.fullmatch(r"\$\{[A-Za-z_][A-Za-z0-9_]*:\?[^}]*\}", value) and references, (
                    f"{name}: {key} must come from a required ${{...}} variable"
                )
    for text in strings_in(compose):
        placeholders = {}

        def hide(match, placeholders=placeholders):
            token = f"VAR{len(placeholders)}X"
            placeholders[token] = match[0]
            return token

        masked = BRACED_REFERENCE.sub(hide, text)
        for userinfo in re.finditer(r"://([^:/@\s]+):([^@\s]*)@", masked):
            password = userinfo[2]
            assert password in placeholders, f"literal password in {text!r}"
            assert ":?" in placeholders[password], f"password with a default in {text!r}"
    raw = COMPOSE_FILE.read_text(encoding="utf-8")
    assert "guest:guest" not in raw


def test_secret_variables_never_have_a_default():
    references = [ref for text in strings_in(load_compose()) for ref in variable_references(text)]
    seen = {name for name, _ in references}
    assert seen >= SECRET_VARIABLES
    for name, modifier in references:
        if name in SECRET_VARIABLES:
            assert modifier.startswith(":?"), f"${{{name}}} must be required, not {modifier!r}"


def test_every_variable_the_compose_file_reads_is_documented_in_env_example():
    referenced = {name for text in strings_in(load_compose()) for name, _ in variable_references(text)}
    documented = set(env_example())
    assert referenced, "the compose file reads no variable at all?"
    assert referenced <= documented, f"missing from .env.example: {sorted(referenced - documented)}"
    assert documented <= referenced, f"documented but unused: {sorted(documented - referenced)}"


def test_every_setting_in_env_example_has_a_comment():
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", line):
            continue
        above = index - 1
        while above >= 0 and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", lines[above]):
            above -= 1
        assert above >= 0 and lines[above].startswith("#"), f"{line.split('=')[0]} has no comment"


def test_env_example_holds_no_real_secret_and_env_is_git_ignored():
    values = env_example()
    for name in SECRET_VARIABLES - {"RABBITMQ_PASSWORD"}:
        assert values[name].startswith("change-me"), name
    # the development broker user, which definitions.json ships (see the definitions tests)
    assert values["RABBITMQ_PASSWORD"] == "guest"
    gitignore = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert ".env" in gitignore


def test_database_urls_name_the_databases_init_sql_creates():
    sql = INIT_SQL.read_text(encoding="utf-8")
    created = set(re.findall(r"'CREATE DATABASE (\w+)'", sql))
    assert created == DATABASES
    for name in DATABASES:
        assert f"WHERE datname = '{name}')\\gexec" in sql, f"creating {name} is not idempotent"
    named = set()
    for text in strings_in(load_compose()):
        named.update(re.findall(r"@postgres:5432/(\w+)", text))
    assert named == DATABASES


def test_compose_file_is_valid_for_docker_compose():
    if shutil.which("docker-compose"):
        compose = [shutil.which("docker-compose")]
    elif shutil.which("docker") and _runs(["docker", "compose", "version"]):
        compose = ["docker", "compose"]
    else:
        pytest.skip("no docker compose binary here; the checks above parse the file with PyYAML instead")
    result = subprocess.run(
        [*compose, "--env-file", str(ENV_EXAMPLE), "-f", str(COMPOSE_FILE), "config", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # stderr too: some pip-installed wrappers of the compose binary do not pass its exit code on
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


# -------------------------------------------------------------------------------------------- Dockerfile


def test_the_image_is_built_in_stages_on_a_slim_python_311_base():
    stages = dockerfile_stages()
    assert len(stages) >= 2, "not a multi-stage build"
    first_from, last_from = stages[0][0][1], stages[-1][0][1]
    assert re.search(r"\bAS\s+builder\b", first_from, re.IGNORECASE)
    assert resolve_build_args(first_from.split()[0]) == "python:3.11-slim"
    assert resolve_build_args(last_from.split()[0]) == "python:3.11-slim"
    copies = [args for keyword, args in stages[-1] if keyword == "COPY"]
    assert any(args.startswith("--from=builder /opt/venv ") for args in copies)


def test_the_project_is_installed_with_its_constraints_into_a_venv():
    builder = dockerfile_stages()[0]
    runs = " && ".join(args for keyword, args in builder if keyword == "RUN")
    assert "python -m venv /opt/venv" in runs
    assert re.search(r"pip install -c constraints\.txt \.(\s|$)", runs)
    final = dockerfile_stages()[-1]
    assert not any("pip install" in args for keyword, args in final if keyword == "RUN"), "install in the builder"


def test_the_image_runs_as_a_user_that_is_not_root():
    final = dockerfile_stages()[-1]
    users = [args for keyword, args in final if keyword == "USER"]
    assert users, "no USER: the processes would run as root"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    runs = " ".join(args for keyword, args in final if keyword == "RUN")
    assert re.search(rf"useradd\b.*--uid {user}\b", runs) or re.search(rf"useradd\b.*\b{user}\b", runs)


def test_the_image_works_in_app_and_keeps_its_state_in_var_dir():
    final = dict(dockerfile_stages()[-1])  # last instruction of each kind
    assert final["WORKDIR"] == "/app"
    env = {}
    for keyword, args in dockerfile_stages()[-1]:
        if keyword == "ENV":
            env.update(key_values(args))
    assert env["VAR_DIR"] == "/app/var"
    assert "/opt/venv/bin" in env["PATH"]
    copies = [args for keyword, args in dockerfile_stages()[-1] if keyword == "COPY"]
    assert any(args.split()[-1].rstrip("/") == "/app/deploy" for args in copies), "gunicorn.conf.py is missing"


def test_the_image_bakes_in_no_secret():
    for keyword, args in dockerfile_instructions():
        if keyword in ("ENV", "ARG"):
            for name, value in key_values(args).items():
                assert not (SECRET_NAME.search(name) and value), f"{keyword} {name} holds a value"
        if keyword in ("COPY", "ADD"):
            assert not re.search(r"(^|\s)\S*(\.env|\.pem|\.key|id_rsa)(\s|$)", args), f"{keyword} {args}"


def test_every_file_the_dockerfile_copies_is_in_the_build_context():
    for keyword, args in dockerfile_instructions():
        if keyword != "COPY" or "--from=" in args:
            continue
        sources = [word for word in shlex.split(args) if not word.startswith("--")][:-1]
        for source in sources:
            if source in (".", "./"):
                continue
            assert (ROOT / source).exists(), source
            assert not dockerignore_excludes(source), f"{source} is excluded by .dockerignore"


def test_the_build_context_leaves_out_local_state_and_secrets():
    for path in (".env", ".env.production", ".git", ".venv", "var", "tests", "services/common/__pycache__"):
        assert dockerignore_excludes(path), f"{path} would be sent to the builder"
    for path in ("pyproject.toml", "constraints.txt", "services", "flows", "deploy", "deploy/gunicorn.conf.py"):
        assert not dockerignore_excludes(path), f"{path} is needed by the build"


# ------------------------------------------------------------------------------------ RabbitMQ / Postgres


def test_the_broker_definitions_declare_exactly_the_platform_queues():
    expected = set(QUEUE_BINDINGS) | {f"{queue}.parked" for queue in QUEUE_BINDINGS}
    queues = [queue["name"] for queue in definitions()["queues"]]
    assert sorted(queues) == sorted(expected)


def test_consumer_queues_dead_letter_into_their_parking_queue():
    queues = {queue["name"]: queue for queue in definitions()["queues"]}
    for name in QUEUE_BINDINGS:
        queue, parked = queues[name], queues[f"{name}.parked"]
        assert queue["durable"] is True and queue["auto_delete"] is False
        assert queue["arguments"] == {"x-dead-letter-exchange": "procurement.dlx", "x-dead-letter-routing-key": name}
        assert parked["durable"] is True and parked["auto_delete"] is False
        assert parked["arguments"] == {}


def test_the_broker_definitions_bind_exactly_the_documented_routing_keys():
    expected = {("procurement", queue, key) for queue, keys in QUEUE_BINDINGS.items() for key in keys}
    expected |= {("procurement.dlx", f"{queue}.parked", queue) for queue in QUEUE_BINDINGS}
    bindings = definitions()["bindings"]
    actual = [(b["source"], b["destination"], b["routing_key"]) for b in bindings]
    assert sorted(actual) == sorted(expected)
    assert all(b["destination_type"] == "queue" for b in bindings)


def test_the_exchanges_are_a_durable_topic_and_a_durable_direct_dead_letter_exchange():
    exchanges = {e["name"]: e for e in definitions()["exchanges"]}
    assert set(exchanges) == {"procurement", "procurement.dlx"}
    assert exchanges["procurement"]["type"] == "topic"
    assert exchanges["procurement.dlx"]["type"] == "direct"
    for exchange in exchanges.values():
        assert exchange["durable"] is True and exchange["auto_delete"] is False and exchange["internal"] is False


def test_everything_is_declared_on_the_default_vhost():
    defs = definitions()
    assert [v["name"] for v in defs["vhosts"]] == ["/"]
    for kind in ("exchanges", "queues", "bindings", "permissions"):
        assert {item["vhost"] for item in defs[kind]} == {"/"}, kind


def test_the_definitions_match_what_the_services_declare():
    topology = pytest.importorskip("services.common.bus.topology")
    assert {name: set(keys) for name, keys in topology.CONSUMER_BINDINGS.items()} == QUEUE_BINDINGS
    queues = {queue["name"]: queue for queue in definitions()["queues"]}
    for declared in topology.all_queues():
        assert declared.name in queues, declared.name
        # RabbitMQ refuses (PRECONDITION_FAILED) a declaration whose arguments differ from the existing queue
        assert (declared.queue_arguments or {}) == queues[declared.name]["arguments"], declared.name
        assert declared.durable == queues[declared.name]["durable"]
    exchanges = {e["name"]: e for e in definitions()["exchanges"]}
    for exchange in (topology.EXCHANGE, topology.DEAD_LETTER_EXCHANGE):
        assert exchanges[exchange.name]["type"] == exchange.type
        assert exchanges[exchange.name]["durable"] == exchange.durable


def test_the_bus_user_in_env_example_can_log_in_with_the_definitions():
    # RabbitMQ creates no default user when it loads definitions at boot, so the user must be in the file.
    settings = env_example()
    users = {user["name"]: user for user in definitions()["users"]}
    user = users[settings["RABBITMQ_USER"]]
    assert user["hashing_algorithm"] == "rabbit_password_hashing_sha256"
    salted = base64.b64decode(user["password_hash"])
    salt, digest = salted[:4], salted[4:]
    assert hashlib.sha256(salt + settings["RABBITMQ_PASSWORD"].encode()).digest() == digest
    permissions = [p for p in definitions()["permissions"] if p["user"] == user["name"]]
    assert permissions == [{"user": user["name"], "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"}]


def test_rabbitmq_conf_loads_the_definitions_compose_mounts():
    settings = {}
    for line in RABBITMQ_CONF.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            settings[key.strip()] = value.strip()
    mounts = dict(volume_mounts(services()["rabbitmq"]))
    assert settings["load_definitions"] == mounts["./deploy/rabbitmq/definitions.json"]
    conf_target = mounts["./deploy/rabbitmq/rabbitmq.conf"]
    assert conf_target == "/etc/rabbitmq/rabbitmq.conf" or re.fullmatch(
        r"/etc/rabbitmq/conf\.d/[^/]+\.conf", conf_target
    )
