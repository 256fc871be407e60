{{/*
Automated sync with prune, self-heal and exponential retry; server-side diff everywhere.
dict: root, ssa, createNamespace (bool), podSecurity (level, with createNamespace).
*/}}
{{- define "platform-apps.syncPolicy" -}}
automated:
  prune: true
  selfHeal: true
syncOptions:
  {{- if .createNamespace }}
  - CreateNamespace=true
  {{- end }}
  - PruneLast=true
  - PrunePropagationPolicy=foreground
  - RespectIgnoreDifferences=true
  {{- if .ssa }}
  - ServerSideApply=true
  {{- end }}
{{- if and .createNamespace .podSecurity }}
managedNamespaceMetadata:
  labels:
    pod-security.kubernetes.io/enforce: {{ .podSecurity }}
    pod-security.kubernetes.io/enforce-version: latest
    pod-security.kubernetes.io/warn: restricted
    pod-security.kubernetes.io/audit: restricted
{{- end }}
retry:
  {{- toYaml .root.Values.sync.retry | nindent 2 }}
{{- end }}

{{/* Annotations every Application carries. dict: wave. */}}
{{- define "platform-apps.annotations" -}}
argocd.argoproj.io/sync-wave: {{ .wave | quote }}
# Diff against what the API server would store (defaults, SSA field ownership), so
# defaulted fields and admission mutations are not reported as drift.
argocd.argoproj.io/compare-options: ServerSideDiff=true,IncludeMutationWebhook=true
{{- end }}
