{{/* Automated sync with prune, self-heal and exponential retry. dict: root, ssa. */}}
{{- define "platform-apps.syncPolicy" -}}
automated:
  prune: true
  selfHeal: true
syncOptions:
  - CreateNamespace=true
  - PruneLast=true
  - PrunePropagationPolicy=foreground
  {{- if .ssa }}
  - ServerSideApply=true
  {{- end }}
retry:
  {{- toYaml .root.Values.sync.retry | nindent 2 }}
{{- end }}
