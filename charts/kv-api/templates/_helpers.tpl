{{/* Chart name, overridable. */}}
{{- define "kv-api.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified name: release name when it already contains the chart name. */}}
{{- define "kv-api.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "kv-api.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "kv-api.labels" -}}
helm.sh/chart: {{ include "kv-api.chart" . }}
{{ include "kv-api.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: api
app.kubernetes.io/part-of: kv-api
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Immutable selector labels: never add to these after the first release. */}}
{{- define "kv-api.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kv-api.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "kv-api.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "kv-api.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image reference. Production always pins by digest; a tag-only reference is
rendered only with image.allowTagWithoutDigest (local development).
*/}}
{{- define "kv-api.image" -}}
{{- $img := .Values.image }}
{{- if eq $img.digest (printf "sha256:%s" (repeat 64 "0")) }}
{{- include "kv-api.fail" "image.digest is the all-zero placeholder: no image has been promoted to this environment yet (the CI promotion job writes kvApi.image.digest in helmfile.d/environments/<env>.yaml)" }}
{{- else if $img.digest }}
{{- printf "%s@%s" $img.repository $img.digest }}
{{- else if and $img.allowTagWithoutDigest $img.tag }}
{{- printf "%s:%s" $img.repository $img.tag }}
{{- else }}
{{- include "kv-api.fail" "image.digest is required (sha256:<64 hex>); set image.allowTagWithoutDigest=true and image.tag only for local development" }}
{{- end }}
{{- end }}

{{/*
Grace period = drain delay + shutdown timeout (rounded up to seconds) + margin,
so the kubelet never SIGKILLs a pod that is still finishing requests.
*/}}
{{- define "kv-api.terminationGracePeriodSeconds" -}}
{{- $s := .Values.config.shutdown }}
{{- add (div (add $s.drainDelayMs $s.timeoutMs 999) 1000) $s.killMarginSeconds }}
{{- end }}

{{/* A PDB only protects something when more than one pod can exist. */}}
{{- define "kv-api.pdbEnabled" -}}
{{- $min := ternary .Values.autoscaling.minReplicas .Values.replicaCount .Values.autoscaling.enabled }}
{{- if and .Values.podDisruptionBudget.enabled (gt (int $min) 1) }}true{{ end }}
{{- end }}

{{/* Mount paths of the secret/config files referenced from the environment. */}}
{{- define "kv-api.redisCaFile" -}}
{{- printf "%s/%s" .Values.redis.tls.ca.mountPath .Values.redis.tls.ca.key }}
{{- end }}

{{/* ConfigMap the chart renders for redis.tls.ca.source=inline. */}}
{{- define "kv-api.redisCaConfigMapName" -}}
{{- printf "%s-redis-ca" (include "kv-api.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Inline CA bundle, normalised to end in one newline; the ConfigMap and the pod's
checksum/redis-ca both use it. An empty bundle would start pods that cannot verify Redis.
*/}}
{{- define "kv-api.redisCaPem" -}}
{{- $pem := trim .Values.redis.tls.ca.pem }}
{{- if not $pem }}
{{- include "kv-api.fail" "redis.tls.ca.source=inline needs redis.tls.ca.pem: the server CA bundle (PEM). For Memorystore it is infra.redis.ca in helmfile.d/environments/<env>.yaml, written from Terraform's ca_certificates output by scripts/infra-values.mjs in a merge request (docs/gitops.md#infrastructure-values)" }}
{{- end }}
{{- printf "%s\n" $pem }}
{{- end }}

{{- define "kv-api.apiKeysFile" -}}
{{- printf "%s/%s" .Values.apiKeys.mountPath .Values.apiKeys.key }}
{{- end }}

{{/* One HTTP probe block; dict: probe (values), port (name). */}}
{{- define "kv-api.httpProbe" -}}
httpGet:
  path: {{ .probe.path }}
  port: {{ .port }}
  scheme: HTTP
periodSeconds: {{ .probe.periodSeconds }}
timeoutSeconds: {{ .probe.timeoutSeconds }}
failureThreshold: {{ .probe.failureThreshold }}
{{- with .probe.successThreshold }}
successThreshold: {{ . }}
{{- end }}
{{- end }}

{{/*
REDIS_AUTH_MODE. With iam the service gets its Redis password (an access token) from the
metadata server as the pod's Google SA, and refuses to start when a password is also set.
*/}}
{{- define "kv-api.redisAuthMode" -}}
{{- $r := .Values.redis }}
{{- if eq $r.authMode "iam" }}
{{- if not .Values.workloadIdentity.enabled }}
{{- include "kv-api.fail" "redis.authMode=iam needs workloadIdentity.enabled=true (the access token is the pod's Google service account's, from the GKE metadata server)" }}
{{- end }}
{{- if $r.password.existingSecret }}
{{- include "kv-api.fail" "redis.authMode=iam excludes redis.password.existingSecret: the access token is the password (the service refuses to start with both)" }}
{{- end }}
{{- end }}
{{- $r.authMode }}
{{- end }}

{{/*
An integer in plain decimal digits. Helm reads YAML numbers as float64, which `quote` and
`toString` print in exponent form from 1e6 on ("1.048576e+06"): the service's parser, and
ingress-nginx's annotation validation, reject that. A fractional value fails the render
rather than being rounded. dict: value, name (the values path, for the message).
*/}}
{{- define "kv-api.int" -}}
{{- $v := .value }}
{{- if not (or (kindIs "float64" $v) (kindIs "int64" $v) (kindIs "int" $v)) }}
{{- include "kv-api.fail" (printf "%s must be an integer, got %v (%s)" .name $v (kindOf $v)) }}
{{- end }}
{{- if ne (float64 $v) (float64 (int64 $v)) }}
{{- include "kv-api.fail" (printf "%s must be an integer, got %v" .name $v) }}
{{- end }}
{{- printf "%d" (int64 $v) }}
{{- end }}

{{/*
fail that also fails `helm lint`: in lint mode Helm turns fail into an [INFO] line and
renders on, so lint --strict would pass values that every render rejects. The include of a
template named after the message is the error lint reports, carrying the same text.
*/}}
{{- define "kv-api.fail" -}}
{{- fail . }}
{{- include (printf "kv-api: %s" .) dict }}
{{- end }}
