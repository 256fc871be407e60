{{/* Labels on every object of this chart. */}}
{{- define "platform.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: kv-platform
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* A GCP setting the Secret Manager stores cannot work without. */}}
{{- define "platform.gcp" -}}
{{- $v := index .root.Values.gcp .key }}
{{- if not $v }}
{{- fail (printf "gcp.%s is required for secretStores (from Terraform: helmfile.d/environments/<env>.yaml infra)" .key) }}
{{- end }}
{{- $v }}
{{- end }}
