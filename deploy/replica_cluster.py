"""A throwaway PostgreSQL primary with a streaming hot standby on this machine: for the
replica test (tests/replica), benchmarks and trying DATABASE_REPLICA_URLS by hand.

    .venv/bin/python deploy/replica_cluster.py start DIR   # prints DATABASE_URL and DATABASE_REPLICA_URLS
    .venv/bin/python deploy/replica_cluster.py stop DIR

Debian's server binaries (package postgresql, /usr/lib/postgresql/<version>/bin; the newest
installed version, or PG_BINDIR). The primary is made by initdb with trust authentication on
127.0.0.1 only, wal_level=replica and fsync off (nothing here must survive a crash); the
standby is a `pg_basebackup -R` copy of it, started with hot_standby=on, each on a free port,
with their sockets, data and logs under DIR. initdb and the server refuse to run as root: as
root every server command runs as the `postgres` user (runuser), which then owns DIR.

Only the standard library: the queries go through the server's own psql.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

SERVER_USER = "postgres"  # the OS user that runs the servers when we are root
DATABASE = "portal"  # made on the primary, so on the standby too
STATE = "cluster.json"  # in DIR: what `stop` needs
SERVER_TOOLS = ("initdb", "pg_ctl", "pg_basebackup", "psql")
START_SECONDS = 60


class ClusterError(RuntimeError):
    pass


def server_bindir() -> Path:
    """The directory holding initdb, pg_ctl, pg_basebackup and psql: PG_BINDIR, else the
    newest /usr/lib/postgresql/<version>/bin, else wherever initdb is on PATH."""
    candidates = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]))
    versions = Path("/usr/lib/postgresql").glob("*/bin")
    candidates += sorted(versions, key=lambda path: [int(part) for part in re.findall(r"\d+", path.parent.name)], reverse=True)
    if shutil.which("initdb"):
        candidates.append(Path(os.path.realpath(shutil.which("initdb"))).parent)
    for candidate in candidates:
        if all((candidate / tool).is_file() for tool in SERVER_TOOLS):
            return candidate
    raise ClusterError(
        "找不到 PostgreSQL 服务器程序（initdb、pg_ctl、pg_basebackup）：请安装 postgresql 软件包（apt-get install postgresql），"
        "或用 PG_BINDIR 指明其目录。"
    )


def _as_root() -> bool:
    return os.geteuid() == 0


def _server_command(command: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *command] if _as_root() else command


def _run(command: list[str], directory: Path, what: str) -> str:
    done = subprocess.run(_server_command(command), cwd=directory, capture_output=True, text=True)
    if done.returncode != 0:
        raise ClusterError(f"{what} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Cluster:
    directory: str
    bindir: str
    primary_port: int
    standby_port: int
    database: str = DATABASE

    def url(self, port: int, database: str | None = None) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{database or self.database}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def standby_url(self) -> str:
        return self.url(self.standby_port)

    def log(self, server: str) -> Path:
        """The server log of "primary" or "standby" (log_statement there when asked)."""
        return Path(self.directory) / f"{server}.log"

    def query(self, port: int, sql: str, database: str = "postgres") -> str:
        """One statement through psql, its rows as text (fields separated by |)."""
        command = [str(Path(self.bindir) / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                   "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", database, "-c", sql]
        # Never in the statement log: it holds what the site ran, which the replica test counts.
        env = {**os.environ, "PGOPTIONS": "-c log_statement=none"}
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, env=env)
        if done.returncode != 0:
            raise ClusterError(f"psql on port {port}: {done.stderr.strip()}")
        return done.stdout.strip()

    # -- replication ---------------------------------------------------------------------

    def replication(self) -> list[dict]:
        """The primary's pg_stat_replication: one row per standby streaming from it."""
        rows = self.query(self.primary_port, "SELECT application_name, state, sent_lsn, replay_lsn FROM pg_stat_replication")
        keys = ("application_name", "state", "sent_lsn", "replay_lsn")
        return [dict(zip(keys, row.split("|"))) for row in rows.splitlines() if row]

    def replay_lag_bytes(self) -> int:
        """How far the standby's replay is behind the primary's current WAL position."""
        primary = self.query(self.primary_port, "SELECT pg_current_wal_lsn()")
        return int(self.query(self.standby_port, f"SELECT pg_wal_lsn_diff('{primary}', pg_last_wal_replay_lsn())"))

    def wait_for_catchup(self, timeout: float = 30) -> float:
        """Until the standby has replayed everything the primary had written when called;
        the seconds it took."""
        started = time.monotonic()
        target = self.query(self.primary_port, "SELECT pg_current_wal_lsn()")
        while True:
            behind = int(self.query(self.standby_port, f"SELECT pg_wal_lsn_diff('{target}', pg_last_wal_replay_lsn())"))
            if behind <= 0:
                return time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise ClusterError(f"the standby is still {behind} bytes behind after {timeout} s: {self.replication()}")
            time.sleep(0.05)

    def replay_pause(self) -> None:
        """Stop applying WAL on the standby (it keeps receiving): a replica that lags, on purpose."""
        self.query(self.standby_port, "SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + 10
        while self.query(self.standby_port, "SELECT pg_get_wal_replay_pause_state()") != "paused":
            if time.monotonic() > deadline:
                raise ClusterError("the standby did not pause its replay")
            time.sleep(0.05)

    def replay_resume(self) -> None:
        self.query(self.standby_port, "SELECT pg_wal_replay_resume()")


def _configure(data: Path, lines: dict[str, str]) -> None:
    """Settings appended to postgresql.conf (the last assignment of a name wins)."""
    text = "".join(f"{name} = {value}\n" for name, value in lines.items())
    with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.write("\n# deploy/replica_cluster.py\n" + text)


def _wait_accepting(cluster: Cluster, port: int, log: Path, standby: bool) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            recovering = cluster.query(port, "SELECT pg_is_in_recovery()")
            if recovering == ("t" if standby else "f"):
                return
        except (ClusterError, subprocess.TimeoutExpired):
            pass
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise ClusterError(f"the server on port {port} did not accept connections within {START_SECONDS} s\n{tail}")
        time.sleep(0.1)


def start(directory: Path | str, *, log_statements: bool = False, database: str = DATABASE) -> Cluster:
    """Make and start the primary and its standby under `directory` (new or empty), and the
    database `database` on the primary; returns once the standby answers read-only queries.
    log_statements: every statement in the servers' logs (the replica test counts them)."""
    directory = Path(directory).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise ClusterError(f"{directory} is not empty")
    bindir = server_bindir()
    if _as_root():  # the servers run as postgres, which must own (and reach) the directory
        shutil.chown(directory, SERVER_USER, SERVER_USER)
        if subprocess.run(["runuser", "-u", SERVER_USER, "--", "test", "-w", str(directory)]).returncode != 0:
            raise ClusterError(f"{directory} cannot be written by the {SERVER_USER} user (a parent directory is closed to it)")
    cluster = Cluster(str(directory), str(bindir), free_port(), free_port(), database)
    (directory / STATE).write_text(json.dumps(asdict(cluster)), encoding="utf-8")
    primary, standby = directory / "primary", directory / "standby"

    _run([str(bindir / "initdb"), "-D", str(primary), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale",
          "--no-sync"], directory, "initdb")
    _configure(primary, {
        "listen_addresses": "'127.0.0.1'",
        "port": str(cluster.primary_port),
        "unix_socket_directories": f"'{directory}'",  # not /var/run/postgresql: ours alone, any user
        "wal_level": "replica",
        "max_wal_senders": "4",
        "hot_standby": "on",
        "fsync": "off",
        "shared_buffers": "32MB",
        "max_connections": "40",
        "log_line_prefix": "'%m [%p] %d '",  # the database name: statements on ours, not psql's on postgres
        "log_statement": "'all'" if log_statements else "'none'",
    })
    _run([str(bindir / "pg_ctl"), "-D", str(primary), "-l", str(cluster.log("primary")), "-w", "start"], directory,
         "pg_ctl start (primary)")
    _wait_accepting(cluster, cluster.primary_port, cluster.log("primary"), standby=False)
    cluster.query(cluster.primary_port, f"CREATE DATABASE \"{database}\"")

    _run([str(bindir / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(cluster.primary_port), "-U", "postgres",
          "-D", str(standby), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"], directory, "pg_basebackup")
    _configure(standby, {"port": str(cluster.standby_port)})
    _run([str(bindir / "pg_ctl"), "-D", str(standby), "-l", str(cluster.log("standby")), "-w", "start"], directory,
         "pg_ctl start (standby)")
    _wait_accepting(cluster, cluster.standby_port, cluster.log("standby"), standby=True)
    cluster.wait_for_catchup()
    return cluster


def load(directory: Path | str) -> Cluster:
    return Cluster(**json.loads((Path(directory) / STATE).read_text(encoding="utf-8")))


def stop(directory: Path | str) -> None:
    """Stop both servers (standby first); what is not running is skipped."""
    directory = Path(directory).resolve()
    bindir = Path(load(directory).bindir) if (directory / STATE).exists() else server_bindir()
    for server in ("standby", "primary"):
        if (directory / server / "postmaster.pid").exists():
            _run([str(bindir / "pg_ctl"), "-D", str(directory / server), "-m", "fast", "-w", "stop"], directory,
                 f"pg_ctl stop ({server})")


@contextmanager
def running(*, log_statements: bool = False) -> Iterator[Cluster]:
    """A primary and standby in a new temporary directory (under the system's, which the
    postgres user can reach when we are root), stopped and removed at the end."""
    directory = Path(tempfile.mkdtemp(prefix="portal-replicas-"))
    try:
        yield start(directory, log_statements=log_statements)
    finally:
        try:
            stop(directory)
        finally:
            shutil.rmtree(directory, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="临时的 PostgreSQL 主库和流复制只读副本（测试和试用 DATABASE_REPLICA_URLS）。")
    parser.add_argument("action", choices=("start", "stop"))
    parser.add_argument("directory", help="数据、套接字和日志所在的目录（start 时须为空或不存在）")
    parser.add_argument("--log-statements", action="store_true", help="在服务器日志中记录每条语句")
    arguments = parser.parse_args(argv)
    try:
        if arguments.action == "start":
            cluster = start(arguments.directory, log_statements=arguments.log_statements)
            print(f"DATABASE_URL={cluster.primary_url}")
            print(f"DATABASE_REPLICA_URLS={cluster.standby_url}")
        else:
            stop(arguments.directory)
    except ClusterError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
