#!/usr/bin/env bash
# Builds the real Dockerfile with buildah (no Docker engine needed), starts the
# image read-only as UID 65532 against a local redis-server, probes the service
# contract, inspects the image config and contents, then stops it with SIGTERM.
#
# The registries behind the pinned base images are unreachable here, so local
# stand-ins built by test/image/build-standin-base.sh replace them through the
# BUILD_IMAGE / RUNTIME_IMAGE build args. See docs/image.md.
#
# Env: CHECK_IMAGE_CONTEXT  build context (default: repository root)
#      KV_IMAGE_CACHE_DIR   buildah store and base cache (default /var/tmp/kv-api-image)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/lib.sh
source "$here/../../scripts/lib.sh"
# shellcheck source=test/image/lib.sh
source "$here/lib.sh"

context=$(cd "${CHECK_IMAGE_CONTEXT:-$REPO_ROOT}" && pwd)
nok()  { ko "$1"; [[ -n ${2:-} ]] && printf '       %s\n' "$2"; return 0; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else nok "$name"; fi; }

if [[ $(id -u) != 0 ]]; then
  skip "image build and run" "needs root for buildah's vfs store, chroot isolation and mount namespaces"
  finish
fi
ensure_cmds buildah:buildah debootstrap:debootstrap redis-server:redis-server redis-cli:redis-tools \
  python3:python3 unshare:util-linux curl:curl || { skip "image build and run" "$ENSURE_CMDS_WHY"; finish; }
use_node24

tag="kv-api-check:$$"
ctr="" redis_pid="" app_pid="" work=$(mktemp -d)
cleanup() {
  [[ -n $app_pid ]] && kill -KILL "$app_pid" 2>/dev/null
  [[ -n $redis_pid ]] && kill "$redis_pid" 2>/dev/null
  [[ -n $ctr ]] && bh rm "$ctr" >/dev/null 2>&1
  bh rmi "localhost/$tag" >/dev/null 2>&1
  bh rmi --prune >/dev/null 2>&1  # dangling build-stage images
  rm -rf "$work"
}
trap cleanup EXIT

# --- 1. stand-in bases --------------------------------------------------------
log "stand-in base images"
mapfile -t bases < <("$here/build-standin-base.sh")
[[ ${#bases[@]} == 2 ]] || { nok "stand-in base images built"; finish; }

# --- 2. build -------------------------------------------------------------------
version="0.0.0-check" revision=$(git -C "$REPO_ROOT" rev-parse HEAD 2>/dev/null || echo 0000000)
source_url="https://gitlab.example.com/platform/kv-api"
log "building $context/Dockerfile"
start=$(date +%s)
# No --layers: intermediate layers would be full vfs copies; the npm cache
# mount keeps reruns fast instead.
# The Dockerfile's STEP lines are the progress report; the whole log is shown on failure.
# --timestamp: every layer file and the config get the commit time, as the
# pipeline's SOURCE_DATE_EPOCH + rewrite-timestamp do with BuildKit.
epoch=$(git -C "$REPO_ROOT" log -1 --format=%ct 2>/dev/null || echo 0)
build() { # tag
  bh bud --isolation chroot --pull=never --timestamp "$epoch" \
    --build-arg BUILD_IMAGE="${bases[0]}" --build-arg RUNTIME_IMAGE="${bases[1]}" \
    --build-arg VERSION="$version" --build-arg REVISION="$revision" \
    --build-arg SOURCE="$source_url" --build-arg CREATED="2000-01-01T00:00:00Z" \
    -f "$context/Dockerfile" -t "$1" "$context"
}
build "$tag" 2>&1 | tee "$work/build.log" \
  | while IFS= read -r line; do
      [[ $line =~ ^(\[[0-9]+/[0-9]+\]\ )?STEP\ [0-9]+/[0-9]+: ]] && printf '       %s (%ds)\n' "${line:0:100}" $(($(date +%s) - start))
    done
if ((PIPESTATUS[0] == 0)); then
  ok "image builds from the Dockerfile ($(($(date +%s) - start))s)"
else
  nok "image builds from the Dockerfile" "last lines of the build log:"
  tail -n 30 "$work/build.log" | sed 's/^/       /'
  finish
fi

# --- 2b. reproducible: the same commit built again gives the same digest --------
digest_of() { bh inspect --type image --format '{{.FromImageDigest}}' "localhost/$1"; }
log "building the same commit again"
start=$(date +%s)
if build "$tag-again" >"$work/build-again.log" 2>&1; then
  first=$(digest_of "$tag") again=$(digest_of "$tag-again")
  same="${first:0:19}…"; [[ $first == "$again" ]] || same="${first:0:19}… then ${again:0:19}…"
  check "two builds of one commit give one digest ($same, --timestamp $epoch, $(($(date +%s) - start))s)" \
    [ -n "$first" -a "$first" == "$again" ]
else
  nok "second build of the same commit" "last lines of its log:"; tail -n 20 "$work/build-again.log" | sed 's/^/       /'
fi
bh rmi "localhost/$tag-again" >/dev/null 2>&1

# --- 3. image config ------------------------------------------------------------
bh inspect --type image "localhost/$tag" \
  | node -e 'process.stdout.write(JSON.stringify(JSON.parse(require("fs").readFileSync(0, "utf8")).OCIv1.config))' \
  >"$work/config.json"
cfg() { node -e 'const c=require(process.argv[1]); const v=new Function("c","return "+process.argv[2])(c); process.stdout.write(typeof v==="string"?v:JSON.stringify(v??null))' "$work/config.json" "$1"; }
label() { cfg "(c.Labels||{})['org.opencontainers.image.$1']"; }

check "User is numeric 65532:65532" [ "$(cfg 'c.User')" == "65532:65532" ]
check "Entrypoint is exec form [/nodejs/bin/node, /app/dist/main.js]" \
  [ "$(cfg 'c.Entrypoint')" == '["/nodejs/bin/node","/app/dist/main.js"]' ]
check "no Cmd appended to the entrypoint" [ "$(cfg 'c.Cmd')" == "null" ]
check "NODE_ENV=production" grep -q '"NODE_ENV=production"' "$work/config.json"
check "WorkingDir /app" [ "$(cfg 'c.WorkingDir')" == "/app" ]
check "label version = build arg" [ "$(label version)" == "$version" ]
check "label revision = build arg" [ "$(label revision)" == "$revision" ]
check "label source = build arg" [ "$(label source)" == "$source_url" ]
check "label title = kv-api" [ "$(label title)" == "kv-api" ]
check "ports 8080 and 9464 exposed" [ "$(cfg 'Object.keys(c.ExposedPorts||{}).sort().join(",")')" == "8080/tcp,9464/tcp" ]

# --- 4. image contents ----------------------------------------------------------
ctr=$(bh from --pull=never "localhost/$tag")
mnt=$(bh mount "$ctr")
size=$(du -sh "$mnt" | cut -f1) app_size=$(du -sh "$mnt/app" | cut -f1)
check "/app holds only dist, node_modules and package.json" \
  [ "$(cd "$mnt/app" && ls -A | sort | tr '\n' ' ')" == "dist node_modules package.json " ]
check "dist/main.js present" [ -f "$mnt/app/dist/main.js" ]
ts_left=$(find "$mnt/app/dist" -name '*.ts' ! -name '*.d.ts' -printf '%P ' | head -c 200)
check "no TypeScript sources in /app/dist${ts_left:+ (found: $ts_left)}" [ -z "$ts_left" ]
check "no tests, .git, .npmrc or .env in /app" \
  [ -z "$(find "$mnt/app" -maxdepth 2 \( -name test -o -name .git -o -name .npmrc -o -name '.env*' \) -print -quit)" ]
# Every package the lockfile marks dev-only must be gone after the prune.
dev_left=$(node -e '
  const fs = require("fs"), path = require("path");
  const [lockFile, appDir] = process.argv.slice(1);
  const lock = JSON.parse(fs.readFileSync(lockFile, "utf8"));
  const dev = Object.entries(lock.packages || {}).filter(([p, m]) => p && m.dev).map(([p]) => p);
  if (!dev.length) { console.log("lockfile lists no dev packages"); process.exit(); }
  console.log(dev.filter((p) => fs.existsSync(path.join(appDir, p))).join(" "));
' "$context/package-lock.json" "$mnt/app")
check "no dev dependencies in node_modules${dev_left:+ (found: ${dev_left:0:200})}" [ -z "$dev_left" ]
check "jest, typescript and eslint absent" \
  [ ! -e "$mnt/app/node_modules/jest" -a ! -e "$mnt/app/node_modules/typescript" -a ! -e "$mnt/app/node_modules/eslint" ]
writable=$(find "$mnt/app" \( ! -uid 0 -o -perm -o+w -o -perm -g+w \) ! -type l -printf '%P(%u,%m) ' | head -c 200)
check "/app owned by root and not writable by the runtime user${writable:+ (found: $writable)}" [ -z "$writable" ]

# --- 5. run read-only as 65532 against a real Redis ------------------------------
redis_port=$(free_port) api_port=$(free_port) mgmt_port=$(free_port)
redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no >"$work/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

rootdir="$work/root" && mkdir -p "$rootdir"
# Own mount + PID namespaces: the image root is bind-mounted read-only and the
# entrypoint becomes PID 1, so SIGTERM handling is exercised as in a pod.
unshare --mount --pid --fork --propagation private bash -c '
  set -e
  mount --bind "$1" "$2"; mount -o remount,bind,ro "$2"
  mount -t proc proc "$2/proc"; mount --rbind /dev "$2/dev"
  shift 2; exec python3 "$@"' _ "$mnt" "$rootdir" "$here/run-rootfs.py" "$rootdir" "$work/config.json" \
  PORT="$api_port" MANAGEMENT_PORT="$mgmt_port" REDIS_HOST=127.0.0.1 REDIS_PORT="$redis_port" \
  SHUTDOWN_DRAIN_DELAY_MS=1000 SHUTDOWN_TIMEOUT_MS=5000 LOG_LEVEL=warn \
  >"$work/app.log" 2>&1 &
app_pid=$!

get() { curl -s -o "$work/body" -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1$2"; }
ready=""
for _ in $(seq 150); do
  [[ $(get "$mgmt_port" /health/ready) == 200 ]] && { ready=1; break; }
  kill -0 "$app_pid" 2>/dev/null || break
  sleep 0.2
done
if [[ -n $ready ]]; then ok "container starts read-only as 65532 and becomes ready"; else
  nok "container starts read-only as 65532 and becomes ready" "app log:"; tail -n 30 "$work/app.log" | sed 's/^/       /'
fi
check "GET /health/live = 200 on the management port" [ "$(get "$mgmt_port" /health/live)" == 200 ]
check "GET /health/ready = 200 on the management port" [ "$(get "$mgmt_port" /health/ready)" == 200 ]
code=$(get "$api_port" /)
check "GET / answers 'Hello Redis!' on the API port" [ "$code" == 200 -a "$(cat "$work/body")" == "Hello Redis!" ]
code=$(get "$mgmt_port" /metrics)
metrics_ok() { [[ $code == 200 ]] && grep -q '^redis_connected 1' "$work/body"; }
check "GET /metrics = 200 with redis_connected 1" metrics_ok
check "health is not served on the public API port (404)" [ "$(get "$api_port" /health/live)" == 404 ]
check "the process runs as uid 65532" \
  [ "$(awk '/^Uid:/{print $2}' "/proc/$(cat "/proc/$app_pid/task/$app_pid/children" 2>/dev/null | awk '{print $1}')/status" 2>/dev/null)" == 65532 ]

# --- 6. graceful stop ------------------------------------------------------------
node_pid=$(awk '{print $1}' "/proc/$app_pid/task/$app_pid/children" 2>/dev/null)
if [[ -n $node_pid ]]; then
  kill -TERM "$node_pid"
  stop_start=$(date +%s)
  for _ in $(seq 100); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
  # Still running after 10 s: kill it, so that the wait (and CI) cannot hang; rc then fails the check.
  kill -0 "$app_pid" 2>/dev/null && kill -KILL "$app_pid"
  wait "$app_pid"; rc=$?; app_pid=""
  check "SIGTERM to PID 1 ends the process with exit code 0 (got $rc, $(($(date +%s) - stop_start))s)" [ "$rc" == 0 ]
else
  nok "SIGTERM to PID 1 ends the process with exit code 0" "process not running"
fi
no_erofs() { ! grep -q EROFS "$work/app.log"; }
check "the log shows no write attempt (EROFS)" no_erofs

log "image localhost/$tag: rootfs ${size} on the stand-in base, of which /app ${app_size}"
finish
