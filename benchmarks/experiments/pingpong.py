"""One TCP connection on loopback, 200 bytes there and back, 2 ms think time (the flood probe's
rhythm, without Jetty or a JVM): the round trip's percentiles under whatever else runs.
docs/performance.md ("Sixth round") runs it next to argon2-loop in SCHED_IDLE, nice 19 and nice 0.

    python3 pingpong.py server 9911 &
    python3 pingpong.py client 9911 3000 "label"
"""
import socket
import sys
import threading
import time


def serve(port):
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(8)
    while True:
        conn, _ = listener.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=echo, args=(conn,), daemon=True).start()


def echo(conn):
    while True:
        data = conn.recv(4096)
        if not data:
            return
        conn.sendall(data)


def probe(port, count, label):
    conn = socket.create_connection(("127.0.0.1", port))
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    message = b"x" * 200
    millis = []
    for _ in range(count):
        t0 = time.perf_counter_ns()
        conn.sendall(message)
        got = 0
        while got < len(message):
            got += len(conn.recv(4096))
        millis.append((time.perf_counter_ns() - t0) / 1e6)
        time.sleep(0.002)
    millis.sort()
    q = lambda p: millis[min(len(millis) - 1, int(p * len(millis)))]
    slow = sum(1 for m in millis if m > 1) / len(millis) * 100
    print(f"{label}: p50 {q(.5):.3f} p99 {q(.99):.3f} p99.9 {q(.999):.3f} max {millis[-1]:.2f} ms, "
          f"{slow:.2f} % over 1 ms")


if __name__ == "__main__":
    if sys.argv[1] == "server":
        serve(int(sys.argv[2]))
    else:
        probe(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else "probe")
