#!/usr/bin/env bash
# End-to-end proof of the SLO recording rules against the real service:
#   redis-server + kv-api (dist/main.js) + Prometheus (Debian package) on 127.0.0.1,
#   scraping the management port every second with charts/kv-api/files/rules loaded.
# Drives bounded traffic, stops Redis, and checks that the availability error ratio
# (slo:sli_error:ratio_rate5m) goes from 0 to above 0 and that the alerts start; then runs every
# Grafana panel query against that Prometheus (test/slo/panels.mjs).
# Everything it starts is stopped on exit. Prints "N passed, N failed".
# Every wait is for a condition with a deadline (a scrape seen, a rule's value), never a sleep.
# Usage: bash test/slo/e2e.sh
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/lib.sh
source "${ROOT}/scripts/lib.sh"

WORK="$(mktemp -d)"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "${p}" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "${p}" 2>/dev/null; done
  rm -rf "${WORK}"
}
trap cleanup EXIT

ensure_cmds redis-server:redis-server prometheus:prometheus curl:curl || { skip "SLO end-to-end" "${ENSURE_CMDS_WHY}"; finish; }
use_node24
if [[ ! -f "${ROOT}/dist/main.js" ]]; then
  log "building the service (npm ci, npm run build)"
  ensure_deps
  (cd "${ROOT}" && npm run build >/dev/null) || { ko "npm run build"; finish; }
fi

REDIS_PORT="$(free_port)" API_PORT="$(free_port)" MGMT_PORT="$(free_port)" PROM_PORT="$(free_port)"
API="http://127.0.0.1:${API_PORT}"
PROM="http://127.0.0.1:${PROM_PORT}"
KEY="slo-e2e-$(date +%s)"

# wait_for URL SECONDS: polls until the URL answers 200.
wait_for() {
  local i
  for ((i = 0; i < $2 * 5; i++)); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" == "200" ]] && return 0
    sleep 0.2
  done
  return 1
}

start_redis() {
  redis-server --port "${REDIS_PORT}" --bind 127.0.0.1 --save '' --appendonly no \
    --logfile "${WORK}/redis.log" &
  REDIS_PID=$!
  pids+=("${REDIS_PID}")
}

# Instant query; prints the first sample value or "none".
query() {
  curl -s --get "${PROM}/api/v1/query" --data-urlencode "query=$1" |
    node -e 'let b="";process.stdin.on("data",d=>b+=d).on("end",()=>{const r=JSON.parse(b).data?.result??[];console.log(r.length?r[0].value[1]:"none")})'
}

# wait_until WHAT SECONDS COMMAND...: polls COMMAND every 0.2 s until it succeeds; false after the deadline.
wait_until() {
  local what="$1" limit="$2" deadline=$((SECONDS + $2))
  shift 2
  until "$@"; do
    ((SECONDS < deadline)) || { echo "  timed out after ${limit}s waiting for ${what}"; return 1; }
    sleep 0.2
  done
}

# JSON of the kv-api scrape target: {"health": "up", "lastScrape": <ms since epoch>}.
target() {
  curl -s "${PROM}/api/v1/targets?state=active" |
    node -e 'let b="";process.stdin.on("data",d=>b+=d).on("end",()=>{const t=JSON.parse(b).data.activeTargets.find(x=>x.labels.job==="kv-api");console.log(t?`${t.health} ${Date.parse(t.lastScrape)}`:"none 0")})'
}
# scraped_since MS: true once the target is up and two scrapes have completed after MS.
scraped_since() {
  local health at
  read -r health at <<<"$(target)"
  [[ "${health}" == "up" ]] || return 1
  if ((at > $1)); then
    [[ -n "${FIRST_SCRAPE:-}" && "${at}" != "${FIRST_SCRAPE}" ]] && return 0
    FIRST_SCRAPE="${at}"
  fi
  return 1
}
now_ms() { date +%s%3N; }

# One round of GET /, POST /write, GET /list and DELETE /delete, and every tenth round a /list
# without credentials (a 401 for the status-code panels); prints the status codes.
round() {
  local i=$1
  curl -s -o /dev/null -w '%{http_code}\n' --max-time 2 "${API}/"
  ((i % 10)) || curl -s -o /dev/null -w '%{http_code}\n' --max-time 2 "${API}/list?count=1"
  curl -s -o /dev/null -w '%{http_code}\n' --max-time 2 -X POST "${API}/write" \
    -H "Authorization: Bearer ${KEY}" -H 'Content-Type: application/json' -d "{\"key\":\"k${i}\",\"value\":\"v${i}\"}"
  curl -s -o /dev/null -w '%{http_code}\n' --max-time 2 -H "Authorization: Bearer ${KEY}" "${API}/list?count=10"
  curl -s -o /dev/null -w '%{http_code}\n' --max-time 2 -X DELETE -H "Authorization: Bearer ${KEY}" "${API}/delete?key=k${i}"
}
# Traffic in the background until traffic_stop, and never more than 1500 rounds.
traffic_start() {
  rm -f "${WORK}/stop"
  : >"${WORK}/codes"
  (for ((i = 0; i < 1500; i++)); do [[ -f "${WORK}/stop" ]] && break; round "${i}" >>"${WORK}/codes"; sleep 0.05; done) &
  TRAFFIC_PID=$!
  pids+=("${TRAFFIC_PID}")
  TRAFFIC_STARTED="$(now_ms)"
  FIRST_SCRAPE=""
}
traffic_stop() {
  touch "${WORK}/stop"
  wait "${TRAFFIC_PID}" 2>/dev/null
  echo "  status codes: $(sort "${WORK}/codes" | uniq -c | tr -s ' ' | tr '\n' ';')"
}
has_value() { [[ "$(query "$1")" != "none" ]]; }
above() { node -e "process.exit(Number('$(query "$1")') > $2 ? 0 : 1)" 2>/dev/null; }
outage_seen() { above "${AVAIL}" 0.00144 && above "${BURN}" 0 && above "${REDIS_ALERT}" 0; }

log "ports: redis ${REDIS_PORT}, api ${API_PORT}, management ${MGMT_PORT}, prometheus ${PROM_PORT}"
start_redis

(cd "${ROOT}" && PORT="${API_PORT}" MANAGEMENT_PORT="${MGMT_PORT}" REDIS_HOST=127.0.0.1 REDIS_PORT="${REDIS_PORT}" \
  API_KEYS="${KEY}" LOG_LEVEL=warn SHUTDOWN_DRAIN_DELAY_MS=0 exec node dist/main.js >"${WORK}/service.log" 2>&1) &
pids+=("$!")
if wait_for "http://127.0.0.1:${MGMT_PORT}/health/ready" 30; then ok "service ready on 127.0.0.1:${API_PORT}"; else
  ko "service did not become ready"; tail -20 "${WORK}/service.log"; finish
fi

mkdir -p "${WORK}/rules"
cp "${ROOT}"/charts/kv-api/files/rules/*.yaml "${WORK}/rules/"
cat >"${WORK}/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - ${WORK}/rules/*.yaml
scrape_configs:
  - job_name: kv-api
    static_configs:
      - targets: ["127.0.0.1:${MGMT_PORT}"]
        # The target labels the chart's ServiceMonitor gets from the Prometheus operator.
        labels:
          namespace: kv-api
          service: kv-api
          endpoint: management
          pod: kv-api-7d9f8b6c5d-x2k4q
          container: kv-api
EOF
prometheus --config.file="${WORK}/prometheus.yml" --storage.tsdb.path="${WORK}/tsdb" \
  --web.listen-address="127.0.0.1:${PROM_PORT}" --log.level=warn >"${WORK}/prometheus.log" 2>&1 &
pids+=("$!")
if wait_for "${PROM}/-/ready" 30; then ok "prometheus ready with the chart's rule files"; else
  ko "prometheus did not start"; tail -20 "${WORK}/prometheus.log"; finish
fi
groups=$(curl -s "${PROM}/api/v1/rules" | node -e 'let b="";process.stdin.on("data",d=>b+=d).on("end",()=>{const g=JSON.parse(b).data.groups;console.log(g.length, g.reduce((n,x)=>n+x.rules.length,0))})')
if [[ "${groups%% *}" =~ ^[0-9]+$ ]] && ((${groups%% *} > 0)); then ok "prometheus loaded rule groups/rules: ${groups}"; else
  ko "prometheus loaded no rules (${groups:-no answer from /api/v1/rules})"
fi

AVAIL='slo:sli_error:ratio_rate5m{slo="availability",layer="service"}'
LAT='slo:sli_error:ratio_rate5m{slo="latency",layer="service"}'

BURN='count(ALERTS{alertname="KvApiAvailabilityErrorBudgetBurn",long="1h",layer="service"})'
REDIS_ALERT='count(ALERTS{alertname="KvApiRedisUnavailable"})'

log "phase 1: traffic with Redis up"
traffic_start
wait_until "two scrapes of the service after traffic started" 60 scraped_since "${TRAFFIC_STARTED}" &&
  wait_until "the availability ratio to be recorded" 60 has_value "${AVAIL}"
traffic_stop
before="$(query "${AVAIL}")"
before_lat="$(query "${LAT}")"
echo "  ${AVAIL} = ${before}"
echo "  ${LAT} = ${before_lat}"
if [[ "${before}" == "0" ]]; then ok "availability error ratio is 0 while Redis is up"; else ko "availability error ratio before = ${before}, want 0"; fi

log "phase 2: Redis stopped, traffic continues"
kill "${REDIS_PID}"
wait "${REDIS_PID}" 2>/dev/null
traffic_start
wait_until "two scrapes of the service after Redis stopped" 60 scraped_since "${TRAFFIC_STARTED}" &&
  wait_until "the error ratio to pass the page threshold and both alerts to start" 60 outage_seen
traffic_stop
after="$(query "${AVAIL}")"
echo "  ${AVAIL} = ${after}"
echo "  slo:sli_error:ratio_rate1h (service) = $(query 'slo:sli_error:ratio_rate1h{slo="availability",layer="service"}')"
echo "  redis_connected = $(query 'max(redis_connected{job="kv-api"})')"
echo "  5xx by route = $(curl -s --get "${PROM}/api/v1/query" --data-urlencode 'query=sum by (route) (increase(http_request_duration_seconds_count{job="kv-api",status_code=~"5.."}[5m]))' |
  node -e 'let b="";process.stdin.on("data",d=>b+=d).on("end",()=>console.log(JSON.parse(b).data.result.map(r=>`${r.metric.route}:${Math.round(r.value[1])}`).join(" ")))')"
if node -e "process.exit(Number('${after}') > 0 ? 0 : 1)" 2>/dev/null; then
  ok "availability error ratio rose above 0 after Redis stopped (${before} -> ${after})"
else
  ko "availability error ratio after Redis stopped = ${after}, want > 0"
fi
if node -e "process.exit(Number('${after}') > 14.4 * 0.0001 ? 0 : 1)"; then
  ok "error ratio is above the 14.4x page threshold (0.00144)"
else
  ko "error ratio ${after} is not above the 14.4x page threshold"
fi
burn="$(query "${BURN}")"
redis_alert="$(query "${REDIS_ALERT}")"
echo "  ALERTS KvApiAvailabilityErrorBudgetBurn(1h/5m) = ${burn}, KvApiRedisUnavailable = ${redis_alert} (pending until their 'for' elapses)"
if [[ "${burn}" == "1" ]]; then ok "burn-rate page alert is active (pending/firing)"; else ko "burn-rate page alert not active (${burn})"; fi
if [[ "${redis_alert}" == "1" ]]; then ok "KvApiRedisUnavailable is active (pending/firing)"; else ko "KvApiRedisUnavailable not active (${redis_alert})"; fi

log "phase 3: Redis back"
start_redis
if wait_for "http://127.0.0.1:${MGMT_PORT}/health/ready" 30; then ok "service ready again after Redis restarted"; else ko "service not ready after Redis restarted"; fi

log "phase 4: every dashboard panel's query against this Prometheus"
# Traffic with Redis back until Prometheus has scraped it and recorded the budget, so the panels
# see the healthy service after the outage, as an operator would.
traffic_start
wait_until "two scrapes of the service after Redis restarted" 60 scraped_since "${TRAFFIC_STARTED}" &&
  wait_until "redis_connected to be scraped as 1" 60 above 'min(redis_connected{job="kv-api"})' 0 &&
  wait_until "the error budget to be recorded" 60 has_value 'slo:error_budget:remaining_ratio30d{slo="availability",layer="service"}'
traffic_stop
# "Last 5 minutes", as someone watching a fresh deploy would pick: at the dashboards' default 6h,
# Grafana steps by 20 s and a Prometheus a minute old has one or two points, if any, on a step.
if node "${ROOT}/test/slo/panels.mjs" --prometheus "${PROM}" --scrape-interval 1s --range 5m; then
  ok "every dashboard panel query returns series, except those listed with a reason"
else
  ko "dashboard panels without series (table above)"
fi

finish
