"""Starts a command the way systemd's socket activation does: listening sockets at fds 3, 4, ...,
LISTEN_FDS and LISTEN_PID set, then exec (same pid). Usage: activate.py UNIX_PATH COMMAND ARGS...
Binds 127.0.0.1 on a free port (fd 3) and UNIX_PATH (fd 4)."""
import os
import socket
import sys

tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
tcp.bind(("127.0.0.1", 0))
tcp.listen(128)
unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
unix.bind(sys.argv[1])
unix.listen(128)
# Through spare descriptors first, so placing one never overwrites the other; dup2 makes them inheritable.
spare = [os.dup(tcp.fileno()), os.dup(unix.fileno())]
for target, fd in enumerate(spare, start=3):
    os.dup2(fd, target)
os.environ["LISTEN_FDS"] = "2"
os.environ["LISTEN_PID"] = str(os.getpid())
os.execv(sys.argv[2], sys.argv[2:])
