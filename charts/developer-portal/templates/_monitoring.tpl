{{/*
Monitoring: the runbooks the alerts link to, and the checks of the
metrics values.
*/}}

{{/*
The runbooks page (docs/runbooks.md) in the portal's own TechDocs, under the
catalog-info.yaml entity that publishes the docs for the backend.
*/}}
{{- define "developer-portal.runbookBaseUrl" -}}
{{- with .Values.metrics.prometheusRule.runbookBaseUrl }}
{{- . }}
{{- else }}
{{- with include "developer-portal.publicUrl" . }}
{{- printf "%s/docs/default/component/portal-backend/runbooks/" . }}
{{- end }}
{{- end }}
{{- end }}

{{/* The runbook_url annotation of one alert: its name in lower case is the heading's anchor. */}}
{{- define "developer-portal.runbookUrl" -}}
{{- printf "%s#%s" (include "developer-portal.runbookBaseUrl" (index . 0)) (index . 1 | lower) }}
{{- end }}

{{- define "developer-portal.validateMonitoring" -}}
{{- $m := .Values.metrics }}
{{- range $object := list "serviceMonitor" "prometheusRule" "grafanaDashboard" }}
{{- if and (get $m $object).enabled (not $m.enabled) }}
{{- fail (printf "metrics.%s.enabled needs metrics.enabled: without the metrics port there is nothing to scrape" $object) }}
{{- end }}
{{- end }}
{{- if and $m.enabled .Values.networkPolicy.enabled (not $m.scrapers) }}
{{- fail "metrics.scrapers needs at least one peer: a NetworkPolicy rule without peers would let every pod in on the metrics port" }}
{{- end }}
{{- if and $m.prometheusRule.enabled (not (include "developer-portal.runbookBaseUrl" .)) }}
{{- fail "metrics.prometheusRule.runbookBaseUrl is required when neither route.host nor ingress.host is set: every alert links to its runbook" }}
{{- end }}
{{- end }}
