// A memory cgroup of the pod's limit per server, so that Node sizes its heap as it does in the
// pod (from the cgroup limit, libuv's uv_get_constrained_memory) and the limit is enforced.
// Emulating it with --max-old-space-size measured a heap the pod never runs (ADR 0066).
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const V2_ROOT = '/sys/fs/cgroup';
const V1_ROOT = '/sys/fs/cgroup/memory';

function hierarchy() {
  if (existsSync(join(V2_ROOT, 'cgroup.controllers'))) {
    const controllers = readFileSync(join(V2_ROOT, 'cgroup.controllers'), 'utf8').split(/\s+/);
    if (controllers.includes('memory')) return { root: V2_ROOT, limitFile: 'memory.max' };
  }
  if (existsSync(join(V1_ROOT, 'memory.limit_in_bytes'))) {
    return { root: V1_ROOT, limitFile: 'memory.limit_in_bytes' };
  }
  return undefined;
}

/** No cgroup: servers start as they are, and `why` says so. */
export const noCgroups = (why) => ({ available: false, why, wrap: (_, command, args) => [command, args], remove() {} });

/**
 * Makes cgroups of limitMi for the bench's servers. Returns { available, why, wrap(name, command, args), remove() }:
 * wrap() gives the command line that joins the cgroup before it execs (the pid stays the server's).
 */
export function podCgroups(limitMi) {
  const found = hierarchy();
  if (!found) return noCgroups('no memory cgroup hierarchy (v1 or v2) is mounted');
  const made = [];
  const probe = join(found.root, `kv-bench-${process.pid}-probe`);
  try {
    mkdirSync(probe);
    writeFileSync(join(probe, found.limitFile), String(limitMi * 2 ** 20));
    rmdirSync(probe);
  } catch (error) {
    return noCgroups(`cannot make a memory cgroup under ${found.root} (${error.code ?? error.message})`);
  }
  return {
    available: true,
    why: `${found.root} (${found.limitFile} ${limitMi}Mi per server)`,
    wrap(name, command, args) {
      const dir = join(found.root, `kv-bench-${process.pid}-${name}`);
      if (!existsSync(dir)) {
        mkdirSync(dir);
        made.push(dir);
      }
      writeFileSync(join(dir, found.limitFile), String(limitMi * 2 ** 20));
      return ['sh', ['-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', dir, command, ...args]];
    },
    remove() {
      for (const dir of made.splice(0)) {
        try {
          rmdirSync(dir);
        } catch {
          // a process still in it: the kernel frees the group when it exits
        }
      }
    },
  };
}
