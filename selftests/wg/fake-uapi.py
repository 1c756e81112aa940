#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A stand-in for a userspace WireGuard implementation's UAPI socket.

    fake-uapi.py SOCKET STATE LOG

Answers "get=1" with the contents of the file STATE (re-read on every
request) followed by "errno=0" and an empty line.  In STATE, a value
written "@N" (N may be negative) becomes the current time plus N seconds,
so handshake ages are stable; the base time is read from the file
STATE.now if it exists (so that repeated requests agree), else the clock.  A first line "errno=N" makes every get fail
with that errno.  Every "set=1" request is appended verbatim to LOG and
answered with "errno=0", or with the errno in the file LOG.errno if it
exists.  Runs until killed.
"""
import os
import socket
import sys
import time


def answer_get(state_path):
    with open(state_path) as f:
        lines = f.read().splitlines()
    if lines and lines[0].startswith("errno="):
        return lines[0] + "\n\n"
    out = []
    now = int(time.time())
    if os.path.exists(state_path + ".now"):
        with open(state_path + ".now") as f:
            now = int(f.read().strip())
    for line in lines:
        key, sep, value = line.partition("=")
        if sep and value.startswith("@"):
            value = str(now + int(value[1:]))
        out.append(key + sep + value)
    return "".join(l + "\n" for l in out) + "errno=0\n\n"


def serve(conn, state_path, log_path):
    f = conn.makefile("rwb", buffering=0)
    while True:
        first = f.readline()
        if not first:
            return
        if first == b"get=1\n":
            f.readline()  # the empty line ending the request
            conn.sendall(answer_get(state_path).encode())
        elif first == b"set=1\n":
            body = [first]
            while True:
                line = f.readline()
                if not line:
                    return
                body.append(line)
                if line == b"\n":
                    break
            with open(log_path, "ab") as log:
                log.write(b"".join(body))
            err = 0
            if os.path.exists(log_path + ".errno"):
                with open(log_path + ".errno") as e:
                    err = int(e.read().strip())
            conn.sendall(b"errno=%d\n\n" % err)
        else:
            conn.sendall(b"errno=22\n\n")
            return


def main():
    sock_path, state_path, log_path = sys.argv[1:4]
    try:
        os.unlink(sock_path)
    except FileNotFoundError:
        pass
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(sock_path)
    srv.listen(16)
    while True:
        conn, _ = srv.accept()
        try:
            serve(conn, state_path, log_path)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            conn.close()


if __name__ == "__main__":
    main()
