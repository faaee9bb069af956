"""The embedded host serves 200 concurrent connections without an error (load profiles rely on it)."""

from __future__ import annotations

import http.client
import threading
from urllib.parse import urlsplit


def test_200_concurrent_connections(vicidial_host, vicidial_world):
    port = urlsplit(vicidial_host.base_url).port
    admin = vicidial_world.api_users["api_admin"]
    agent = vicidial_world.agents["agent_paused"]
    path = (f"/agc/api.php?source=load&user={admin['user']}&pass={admin['pass']}"
            f"&agent_user={agent['user']}&function=recording&value=STATUS")
    expected = "NOTICE: not recording - vcrt1001|||||192.0.2.15|8600051|PAUSED\n".encode()
    clients = 200
    barrier = threading.Barrier(clients)
    answers: list = [None] * clients

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.connect()
            barrier.wait(timeout=30)          # all 200 connections are open at once
            bodies = []
            for _ in range(3):                # and each is kept alive for several requests
                connection.request("GET", path)
                response = connection.getresponse()
                bodies.append((response.status, response.read()))
            answers[index] = bodies
        except Exception as error:            # noqa: BLE001 - recorded and asserted below
            answers[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    failures = [answer for answer in answers if answer != [(200, expected)] * 3]
    assert failures == [], failures[:3]
