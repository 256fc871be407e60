#!/usr/bin/env python3
"""Starts one rendered container the way the kubelet and its runtime would, on this host.

Run inside fresh mount and PID namespaces (the caller uses unshare). It bind-mounts the
image root, makes it read-only when the pod says readOnlyRootFilesystem, mounts /proc and
/dev, then each volumeMount at its mountPath: an emptyDir as tmpfs (medium Memory) or a
directory, a configMap/secret volume as a read-only tmpfs holding its key files written
the kubelet's way (..data symlink to a timestamped directory, one symlink per path, the
rendered mode, group fsGroup). Then test/image/run-rootfs.py enters the root as the
rendered UID/GID with fsGroup as supplementary group, and execs the rendered argv.

usage: kubelet.py PLAN_JSON   (written by test/boot/lib/pod.mjs: podPlan)
"""
import base64
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_ROOTFS = os.path.join(HERE, "..", "image", "run-rootfs.py")


def mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True)


def inside(root: str, path: str) -> str:
    return os.path.join(root, path.lstrip("/"))


def write_atomic_volume(target: str, files: list, gid: int | None) -> None:
    """The kubelet's AtomicWriter layout: <target>/..<ts>/<path>, ..data -> ..<ts>, <path> -> ..data/<path>."""
    stamp = time.strftime("..%Y_%m_%d_%H_%M_%S.000000000", time.gmtime())
    os.mkdir(os.path.join(target, stamp), 0o755)
    for f in files:
        real = os.path.join(target, stamp, f["path"])
        os.makedirs(os.path.dirname(real), exist_ok=True)
        with open(real, "wb") as out:
            out.write(base64.b64decode(f["data"]))
        if gid is not None:
            os.chown(real, 0, gid)
        os.chmod(real, f["mode"])
    os.symlink(stamp, os.path.join(target, "..data"))
    for top in sorted({f["path"].split("/", 1)[0] for f in files}):
        os.symlink(os.path.join("..data", top), os.path.join(target, top))


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        plan = json.load(f)
    root = tempfile.mkdtemp(prefix="root-", dir=plan["workDir"])
    fs_group = plan.get("fsGroup")

    mount("--bind", plan["rootfs"], root)
    # Mount points are created in the container's own (throwaway) layer, as a runtime does.
    for m in plan["mounts"]:
        os.makedirs(inside(root, m["path"]), exist_ok=True)
    if plan["readOnlyRoot"]:
        mount("-o", "remount,bind,ro", root)
    mount("-t", "proc", "proc", inside(root, "/proc"))
    mount("--rbind", "/dev", inside(root, "/dev"))

    for m in plan["mounts"]:
        target = inside(root, m["path"])
        size = f",size={m['sizeBytes']}" if m.get("sizeBytes") else ""
        if m["kind"] == "emptyDir":
            # An emptyDir is world-writable; with fsGroup it is group-owned and setgid.
            mode = "2777" if fs_group is not None else "0777"
            gid = f",gid={fs_group}" if fs_group is not None else ""
            mount("-t", "tmpfs", "-o", f"mode={mode}{gid}{size}", "tmpfs", target)
        else:
            mount("-t", "tmpfs", "-o", "mode=0755", "tmpfs", target)
            write_atomic_volume(target, m["files"], fs_group)
            # configMap and secret volumes are always read-only in a pod.
            mount("-o", "remount,ro", target)
        if m.get("readOnly") and m["kind"] == "emptyDir":
            mount("-o", "remount,ro", target)

    config = {
        "Entrypoint": plan["argv"],
        "Cmd": None,
        "Env": [f"{k}={v}" for k, v in plan["env"].items()],
        "WorkingDir": plan["workingDir"],
        "User": f"{plan['uid']}:{plan['gid']}",
    }
    config_path = os.path.join(plan["workDir"], "config.json")
    with open(config_path, "w", encoding="utf-8") as out:
        json.dump(config, out)
    flags = [f"--groups={fs_group}"] if fs_group is not None else []
    if not plan["readOnlyRoot"]:
        flags.append("--writable-root")
    os.execv(sys.executable, [sys.executable, RUN_ROOTFS, *flags, root, config_path])


if __name__ == "__main__":
    main()
