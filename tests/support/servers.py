"""Real app servers for the tests and the benchmark that need several of them: gunicorn
started with the production config file (`gunicorn -c gunicorn.conf.py`) on a port of
its own, in a process group of its own so that the whole server (master and workers)
can be killed at once, and a browser-like HTML form reader."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout, what, diagnostics=lambda: ""):
    """Poll `condition` every 0.2 s for at most `timeout` seconds; AssertionError after."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"after {timeout} s, still not: {what}\n{diagnostics()}")


def collectstatic(env, static_root):
    """`manage.py collectstatic` into `static_root` under the servers' settings."""
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"], cwd=ROOT,
                   env={**env, "TWO_SERVERS_STATIC_ROOT": str(static_root)}, check=True, timeout=120)


class GunicornServer:
    """`gunicorn -c gunicorn.conf.py` on 127.0.0.1:`port`, its output in `log_dir`."""

    def __init__(self, name, env, log_dir, workers=2, port=None, extra_args=()):
        self.name, self.port, self.extra_args = name, port or free_port(), list(extra_args)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_dir) / f"{name}.log"
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": str(workers),
                    "GUNICORN_LOG_LEVEL": "warning", "PYTHONUNBUFFERED": "1"}
        self.process = None

    def start(self):
        self._log = open(self.log_path, "wb")
        # A session (process group) of its own: kill() takes the master and its workers.
        self.process = subprocess.Popen([str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--access-logfile",
                                         "/dev/null", *self.extra_args], cwd=ROOT, env=self.env, stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def answers(self, path="/healthz"):
        import http.client

        if not self.alive():
            raise AssertionError(f"{self.name} stopped:\n{self.log()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            conn.request("GET", path, headers={"Host": "127.0.0.1"})
            return conn.getresponse().status == 200
        except OSError:
            return False

    def wait_ready(self, timeout=60):
        wait_until(self.answers, timeout, f"{self.name} answers /healthz", self.log)

    def kill(self):
        """SIGKILL to the whole server: no graceful shutdown, nothing flushed."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        try:  # workers orphaned by a killed master
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._log.close()

    def log(self, lines=40):
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return f"--- {self.name} (last lines) ---\n" + "\n".join(text.splitlines()[-lines:])


def form_fields(form):
    """What a browser submits from `form` untouched: hidden and typed values, each
    select's selected (else first) option, each radio group's checked (else first
    enabled) choice, checked boxes."""
    data, radios = {}, {}
    for field in form.find_all(["input", "textarea", "select"]):
        name, kind = field.get("name"), field.get("type", "text")
        if not name or kind in {"submit", "button"} or field.has_attr("disabled"):
            continue
        if field.name == "select":
            options = field.find_all("option")
            chosen = next((o for o in options if o.has_attr("selected")), options[0] if options else None)
            if chosen is not None:
                data[name] = chosen.get("value", chosen.get_text())
        elif kind == "radio":
            if field.has_attr("checked") or name not in radios:
                radios[name] = field.get("value")
        elif kind == "checkbox":
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "") if field.name == "input" else field.get_text()
    return {**data, **radios}
