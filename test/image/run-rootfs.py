#!/usr/bin/env python3
"""Minimal container start for test/image/run.sh.

podman/crun cannot start containers on this host's hybrid cgroup setup, so the
check starts the image the way a runtime would: inside fresh mount and PID
namespaces (set up by the caller) it enters the image root, applies the image
config (Env, WorkingDir, User, Entrypoint + Cmd), clears supplementary groups,
sets no_new_privs and execs, so the entrypoint becomes PID 1.

usage: run-rootfs.py [--groups=GID,...] [--writable-root] ROOT CONFIG_JSON [KEY=VALUE ...]
  KEY=VALUE      extra env overrides
  --groups       supplementary groups (a pod's fsGroup); none by default
  --writable-root  the root is expected writable (readOnlyRootFilesystem: false)
"""
import ctypes
import json
import os
import sys

PR_SET_NO_NEW_PRIVS = 38


def main() -> None:
    args = sys.argv[1:]
    groups, writable_root = [], False
    while args and args[0].startswith("--"):
        flag = args.pop(0)
        if flag.startswith("--groups="):
            groups = [int(g) for g in flag.split("=", 1)[1].split(",") if g]
        elif flag == "--writable-root":
            writable_root = True
        else:
            sys.exit(f"unknown flag {flag}")
    root, config_path, *overrides = args
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)

    env = dict(item.split("=", 1) for item in config.get("Env") or [])
    env.update(item.split("=", 1) for item in overrides)
    argv = (config.get("Entrypoint") or []) + (config.get("Cmd") or [])
    if not argv:
        sys.exit("image has neither Entrypoint nor Cmd")
    user = config.get("User") or "0"
    uid_s, _, gid_s = user.partition(":")
    if not uid_s.isdigit() or (gid_s and not gid_s.isdigit()):
        sys.exit(f"image User must be numeric for runAsNonRoot, got {user!r}")
    uid, gid = int(uid_s), int(gid_s or uid_s)

    os.chroot(root)
    os.chdir(config.get("WorkingDir") or "/")
    # The root must really be read-only, or the check would prove nothing.
    if not writable_root:
        try:
            open("/.rw-probe", "w").close()
            sys.exit("root filesystem is writable; expected a read-only mount")
        except OSError:
            pass
    os.setgroups(groups)
    os.setgid(gid)
    os.setuid(uid)  # a non-zero uid drops every capability
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        sys.exit("prctl(PR_SET_NO_NEW_PRIVS) failed")
    os.execve(argv[0], argv, env)


if __name__ == "__main__":
    main()
