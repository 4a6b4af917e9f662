"""The OPA engine: a real OPA server through opa-python-client.

The server is either one the user runs (a URL from config) or one started
here from an `opa` binary on PATH, bound to 127.0.0.1 on a free port and
stopped on close. Every request is bounded by one timeout with no retries, so
a server that is down, refuses or never answers becomes one EngineError
within that time instead of a hang or a traceback.
"""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import tempfile
import time
from typing import IO, Any, Callable, Mapping, TypeVar
from urllib.parse import quote, urlsplit

import requests
import urllib3
from opa_client.errors import (
    ConnectionsError,
    DeletePolicyError,
    PolicyNotFoundError,
    RegoParseError,
)
from opa_client.opa import OpaClient

from termslint.engine import (
    EMPTY_INPUT,
    RULES_REF,
    UNDEFINED,
    DocInput,
    Policies,
    RuleResult,
    as_policy_set,
    collect_results,
    data_values,
    input_json,
    to_json,
)
from termslint.errors import ConfigError, EngineError, PolicyError
from termslint.policies import PolicyModule, check_sandbox

DEFAULT_TIMEOUT = 10.0  # seconds per request; the client's own default (1.5 s) is too short for big documents
DEFAULT_STARTUP_TIMEOUT = 10.0
POLICY_ID_PREFIX = "termslint/"  # ids of the modules this engine uploads, so stale ones can be removed
_LOOPBACK = ("127.0.0.1", "localhost", "::1")

T = TypeVar("T")
_FIX_POLICY = "fix the Rego at that line; `termslint test` compiles every policy"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class OpaEngine:
    """Policies evaluated by an OPA server's REST API (`/v1/policies`, `/v1/data`)."""

    name = "opa"

    def __init__(
        self,
        url: str | None = None,
        *,
        binary: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        startup_timeout: float = DEFAULT_STARTUP_TIMEOUT,
        token: str | None = None,
    ) -> None:
        if timeout <= 0 or startup_timeout <= 0:
            raise ConfigError("the opa engine's timeouts must be positive numbers of seconds")
        self.timeout = float(timeout)
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._policy_ids: dict[str, str] = {}  # OPA policy id -> path as shown in messages
        self._loaded = False
        # data.termslint.*: kept here so set_data() may come before or after load().
        self._data: dict[str, Any] = {"documents": {}, "config": {}}
        if url:
            self.url = url.rstrip("/")
            host, port, ssl = _parse_url(self.url)
        else:
            exe = binary or shutil.which("opa")
            if exe is None:
                raise EngineError(
                    "the opa engine needs an OPA server, but no opa URL is configured "
                    "and there is no `opa` binary on PATH",
                    "install OPA (https://www.openpolicyagent.org/docs/#running-opa), "
                    "set the OPA server URL in config, or use the embedded engine",
                )
            host, port, ssl = "127.0.0.1", free_port(), False
            self.url = f"http://{host}:{port}"
            self._start(exe, port)
        # No retries, so one request never takes longer than `timeout`.
        self._client = OpaClient(
            host=host, port=port, ssl=ssl, token=token, retries=0, timeout=self.timeout
        )
        if host in _LOOPBACK:
            # A proxy from HTTP_PROXY cannot reach this machine's loopback address.
            self._client._session.trust_env = False
        try:
            if self._process is not None:
                self._wait_until_healthy(startup_timeout)
            self._call("connecting", self._client.check_connection)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> OpaEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- server lifecycle ---------------------------------------------------

    def _start(self, exe: str, port: int) -> None:
        # stderr goes to a file, not a pipe: nobody reads a pipe while OPA
        # runs, and a full pipe would block the server.
        self._stderr = tempfile.TemporaryFile()
        args = [exe, "run", "--server", "--addr", f"127.0.0.1:{port}", "--disable-telemetry"]
        try:
            self._process = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._stderr
            )
        except OSError as exc:
            self._stderr.close()
            self._stderr = None
            raise EngineError(f"cannot start {exe}: {exc.strerror}", "check the opa binary") from None

    def _wait_until_healthy(self, startup_timeout: float) -> None:
        assert self._process is not None
        deadline = time.monotonic() + startup_timeout
        while True:
            code = self._process.poll()
            if code is not None:
                raise EngineError(
                    f"opa exited with status {code} while starting: {self._stderr_tail()}",
                    "run `opa run --server` by hand to see why",
                )
            if self._client.check_health():
                return
            if time.monotonic() >= deadline:
                raise EngineError(
                    f"the OPA server started at {self.url} was not healthy within {startup_timeout:g}s",
                    "raise the opa engine's startup_timeout, or use the embedded engine",
                )
            time.sleep(0.05)

    def _stderr_tail(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        lines = [ln.strip() for ln in self._stderr.read().decode("utf-8", "replace").splitlines()]
        return next((ln for ln in reversed(lines) if ln), "no output")

    def close(self) -> None:
        client = getattr(self, "_client", None)
        if client is not None:
            client.close_connection()
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        self._loaded = False

    # --- requests -----------------------------------------------------------

    def _call(self, doing: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run one client call, turning transport failures into one EngineError line."""
        try:
            return fn(*args, **kwargs)
        except ConnectionsError as exc:
            raise self._transport_error(doing, exc.__cause__ or exc) from None
        except requests.exceptions.HTTPError as exc:
            message = _error_message(exc.response)
            if exc.response is not None and exc.response.status_code == 500 and message:
                # A policy that fails at run time (conflicting values, a
                # built-in error in strict mode) is the policy's fault.
                raise PolicyError(f"OPA could not finish {doing}: {message}",
                                  "fix the rule, and cover that input with a *_test.rego unit test") from None
            raise self._transport_error(doing, exc) from None
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as exc:
            raise self._transport_error(doing, exc) from None

    def _transport_error(self, doing: str, exc: BaseException) -> EngineError:
        if _is_timeout(exc):
            return EngineError(
                f"the OPA server at {self.url} did not answer within {self.timeout:g}s ({doing})",
                "check that it is running and healthy, raise the opa engine's timeout, "
                "or use the embedded engine",
            )
        if isinstance(exc, requests.exceptions.HTTPError) and exc.response is not None:
            status = exc.response.status_code
            return EngineError(
                f"the OPA server at {self.url} answered HTTP {status} ({doing})",
                "check the URL and, if the server requires one, the token",
            )
        if isinstance(exc, (requests.exceptions.ConnectionError, urllib3.exceptions.HTTPError)):
            return EngineError(
                f"cannot connect to the OPA server at {self.url} ({doing})",
                "start it (opa run --server), fix the OPA URL in config, or use the embedded engine",
            )
        return EngineError(f"the OPA server at {self.url} failed ({doing}): {exc}")

    # --- Engine protocol ------------------------------------------------------

    def load(self, policies: Policies, *, with_tests: bool = False) -> None:
        policies = as_policy_set(policies)
        modules = policies.all_modules(with_tests)
        for path, source in modules:
            check_sandbox(source, path)
        wanted = {
            POLICY_ID_PREFIX + policies.bundle_paths.get(m.path, m.path).lstrip("/"): m
            for m in modules
        }
        self._policy_ids = {pid: m.path for pid, m in wanted.items()}
        existing = self._call("listing policies", self._client.get_policies_list)
        stale = [pid for pid in existing if pid.startswith(POLICY_ID_PREFIX) and pid not in wanted]
        self._settle(stale, self._delete_policy)
        self._settle(sorted(wanted), lambda pid: self._put_policy(pid, wanted[pid]))
        self._loaded = True
        self._put_data(self._data)
        self.evaluate(EMPTY_INPUT)

    def _put_policy(self, policy_id: str, module: PolicyModule) -> None:
        # rego_compat=False: the client would otherwise rewrite a rejected
        # policy by regex and retry, which can turn a real error into a confusing one.
        self._call(
            f"uploading {module.path}",
            self._client.update_policy_from_string,
            module.source,
            quote(policy_id, safe="/"),
            rego_compat=False,
        )

    def _delete_policy(self, policy_id: str) -> None:
        self._call(f"removing {policy_id}", self._client.delete_policy, quote(policy_id, safe="/"))

    def _settle(self, ids: list[str], action: Callable[[str], None]) -> None:
        """Apply `action` to every id, retrying those OPA rejects until no progress.

        OPA compiles the whole store on every upload, so a rule that calls a
        library function is refused until the library is there (and a library
        cannot be removed while a rule still calls it).
        """
        pending = list(ids)
        while pending:
            failed: list[tuple[str, Exception]] = []
            for pid in pending:
                try:
                    action(pid)
                except (RegoParseError, DeletePolicyError) as exc:
                    failed.append((pid, exc))
            if len(failed) == len(pending):
                raise self._policy_error(failed[0][1])
            pending = [pid for pid, _ in failed]

    def _policy_error(self, exc: Exception) -> PolicyError:
        errors = getattr(exc, "errors", None) or []
        for err in errors:
            if not isinstance(err, dict):
                continue
            loc = err.get("location") or {}
            file = self._policy_ids.get(str(loc.get("file", "")).lstrip("/"), loc.get("file", "?"))
            return PolicyError(f"{file}:{loc.get('row', 0)}:{loc.get('col', 0)}: {err.get('message', '')}",
                               _FIX_POLICY)
        message = getattr(exc, "message", None) or str(exc)
        return PolicyError(f"OPA rejected a policy: {message}", _FIX_POLICY)

    def set_data(self, values: Mapping[str, Any]) -> None:
        fresh = data_values(values)
        self._data.update(fresh)
        if self._loaded:
            self._put_data(fresh)

    def _put_data(self, values: Mapping[str, Any]) -> None:
        for key, value in values.items():
            document = json.loads(to_json(value))
            if not isinstance(document, dict):
                raise EngineError(f"data.termslint.{key} must be an object")
            try:
                self._call(
                    f"setting data.termslint.{key}",
                    self._client.update_or_create_data,
                    document,
                    f"termslint/{key}",
                )
            except RegoParseError as exc:
                raise EngineError(f"OPA refused data.termslint.{key}: {exc}") from None

    def evaluate(self, doc_input: DocInput) -> list[RuleResult]:
        self._require_loaded()
        payload = self._call(
            f"evaluating {RULES_REF}",
            self._client.query_rule,
            json.loads(input_json(doc_input)),
            RULES_REF.removeprefix("data."),
        )
        value = payload.get("result", {}) if isinstance(payload, dict) else {}
        return collect_results(value)

    def eval_ref(self, ref: str) -> Any:
        self._require_loaded()
        path = quote(ref.removeprefix("data.").replace(".", "/"), safe="/")
        try:
            payload = self._call(f"evaluating {ref}", self._client.get_data, path)
        except PolicyNotFoundError as exc:
            if exc.expression == "PolicyNotFoundError":
                return UNDEFINED  # OPA answers 200 without "result" for an undefined reference
            if exc.expression == "internal_error":
                raise PolicyError(f"OPA could not evaluate {ref}: {exc.message}") from None
            raise EngineError(f"the OPA server at {self.url} refused {ref}: {exc.message}") from None
        return payload["result"]

    def _require_loaded(self) -> None:
        if not self._loaded:
            raise EngineError("no policies loaded", "call load() before evaluating")

    def take_prints(self) -> list[str]:
        # OPA's REST API does not return print() output; the server logs it.
        return []


def _parse_url(url: str) -> tuple[str, int, bool]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"OPA URL {url!r} is not an http(s) URL", "use e.g. http://127.0.0.1:8181")
    if parts.path not in ("", "/"):
        raise ConfigError(
            f"OPA URL {url!r} has a path; the client always talks to /v1 at the server's root",
            "give only scheme, host and port",
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ConfigError(f"OPA URL {url!r} has a bad port") from None
    return parts.hostname, port, parts.scheme == "https"


def _error_message(response: requests.Response | None) -> str:
    if response is None:
        return ""
    try:
        payload = response.json()
    except ValueError:
        return ""
    return str(payload.get("message", "")) if isinstance(payload, dict) else ""


def _is_timeout(exc: BaseException) -> bool:
    """Whether a transport error was a timeout, however urllib3 and requests wrapped it.

    A GET that times out surfaces as requests' ConnectionError around a
    MaxRetryError whose reason is a ReadTimeoutError; a POST as ReadTimeout.
    """
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, urllib3.exceptions.NewConnectionError):
            return False  # a refused connection, though urllib3 derives it from ConnectTimeoutError
        if isinstance(current, (requests.exceptions.Timeout, urllib3.exceptions.TimeoutError)):
            return True
        pending.append(getattr(current, "reason", None))
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))
        pending.append(current.__cause__)
        pending.append(current.__context__)
    return False
