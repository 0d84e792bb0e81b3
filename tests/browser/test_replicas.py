"""Issue 19: two app processes behind nginx (docs/nginx-namndpanelen.conf) sharing one PostgreSQL.

Each browser keeps to one replica; the two fill a new database once between them; an import through
one is seen at once through the other.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import urllib.request

import pytest
from sqlalchemy import func, select

from data_access import schema as s
from data_access.engine import make_engine
from tests.browser.conftest import (accept_cautions, free_port, problems_on, start_app, stop_app, upload,
                                    wait_for_app, wait_until_serving)
from tests.conftest import ROOT

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if shutil.os.path.exists("/usr/sbin/nginx") else None)


@pytest.fixture
def proxy(postgres_url, tmp_path):
    """Two replicas on a new PostgreSQL schema behind nginx; yields the proxy's address."""
    if NGINX is None:
        pytest.skip("nginx finns inte på maskinen (apt-get install nginx): testet med två servrar hoppas över")
    replicas = [start_app(postgres_url) for _ in range(2)]
    ports = [int(base.rsplit(":", 1)[1]) for _process, base in replicas]
    site = (ROOT / "docs" / "nginx-namndpanelen.conf").read_text(encoding="utf-8")
    site = site.replace("server 127.0.0.1:8501;", f"server 127.0.0.1:{ports[0]};")
    site = site.replace("server 127.0.0.1:8502;", f"server 127.0.0.1:{ports[1]};")
    listen = free_port()
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    # Which replica answered, for the test only.
    site = site.replace("add_header Set-Cookie", "add_header X-Replica $upstream_addr always;\n        add_header Set-Cookie")
    temp = tmp_path / "nginx"
    temp.mkdir()
    (temp / "nginx.conf").write_text(
        f"daemon off;\nworker_processes 1;\npid {temp}/nginx.pid;\nerror_log {temp}/error.log;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n access_log off;\n client_body_temp_path {temp}/body;\n proxy_temp_path {temp}/proxy;\n"
        f" fastcgi_temp_path {temp}/fastcgi;\n uwsgi_temp_path {temp}/uwsgi;\n scgi_temp_path {temp}/scgi;\n"
        f"{site}\n}}\n", encoding="utf-8")
    nginx = subprocess.Popen([NGINX, "-p", str(temp), "-c", str(temp / "nginx.conf")], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{listen}"
    try:
        wait_until_serving(nginx, f"{base}/_stcore/health", "nginx")
        yield base, {f"127.0.0.1:{port}" for port in ports}
    finally:
        nginx.terminate()
        nginx.wait(10)
        for process, _base in replicas:
            stop_app(process)


def replica_of(base: str, key: str) -> str:
    request = urllib.request.Request(f"{base}/_stcore/health", headers={"Cookie": f"namndpanelen_server={key}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers["X-Replica"]


def test_issue_19_two_replicas_behind_nginx_share_one_database(proxy, postgres_url, browser, tmp_path):
    base, addresses = proxy
    # One browser's key per replica (the hash decides; try keys until both replicas are reached).
    keys = {}
    for number in range(64):
        keys.setdefault(replica_of(base, f"k{number}"), f"k{number}")
        if len(keys) == 2:
            break
    assert set(keys) == addresses
    # A key stays with its replica.
    assert all(replica_of(base, key) == address for address, key in keys.items())

    pages = []
    for key in keys.values():
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        context.add_cookies([{"name": "namndpanelen_server", "value": key, "url": base}])
        pages.append(context.new_page())
    first, second = pages
    # Both open at once on the empty database: between them they fill it once.
    for page in pages:
        page.goto(f"{base}/Budget_mot_utfall", wait_until="commit")
    for page in pages:
        wait_for_app(page)
        assert problems_on(page) == []
        assert "jan–aug 2025" in page.content()
    engine = make_engine(postgres_url)
    with engine.connect() as connection:
        loads = connection.execute(
            select(s.import_log.c.kind, func.count()).where(s.import_log.c.user_name == "exempeldata")
            .group_by(s.import_log.c.kind)).all()
    engine.dispose()
    assert loads and all(count == 1 for _kind, count in loads), loads

    # An import through the first replica is seen through the second at once.
    first.goto(f"{base}/Data")
    wait_for_app(first)
    september = tmp_path / "utfall_sep.csv"
    september.write_text("Månad;Verksamhet;Belopp\n2025-09;Ny verksamhet;1 000\n", encoding="utf-8")
    upload(first, september)
    first.get_by_text("1 ny verksamhet läggs till i registret").wait_for(timeout=30_000)
    accept_cautions(first)  # the new name, and September read for one verksamhet only
    first.get_by_role("button", name="Spara i databasen").click()
    first.get_by_text("1 rad lästes").wait_for(timeout=30_000)
    second.goto(f"{base}/Budget_mot_utfall")
    wait_for_app(second)
    assert re.search("jan–sep 2025", second.content())
    assert problems_on(second) == []
    for page in pages:
        page.context.close()
