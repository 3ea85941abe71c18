{{/*
Names, labels and the values the templates derive from one another.
*/}}

{{- define "developer-portal.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The full name of the release's objects: <release>-<chart>, or the release name when it already contains the chart name. */}}
{{- define "developer-portal.fullname" -}}
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

{{- define "developer-portal.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "developer-portal.labels" -}}
helm.sh/chart: {{ include "developer-portal.chart" . }}
app.kubernetes.io/name: {{ include "developer-portal.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | trunc 63 | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: developer-portal
{{- with .Values.backstage.kubernetesId }}
backstage.io/kubernetes-id: {{ . }}
{{- end }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selects the portal pods (and nothing else: the test pod has another component). */}}
{{- define "developer-portal.selectorLabels" -}}
app.kubernetes.io/name: {{ include "developer-portal.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: backend
{{- end }}

{{/* Labels of the helm test pod. */}}
{{- define "developer-portal.testSelectorLabels" -}}
app.kubernetes.io/name: {{ include "developer-portal.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: test
{{- end }}

{{/*
The metadata.annotations lines (commonAnnotations plus the given map), indented
for metadata and starting with a newline; nothing when both maps are empty.
Call right after the labels with {{- include ... (list $ $extra) }}.
*/}}
{{- define "developer-portal.annotations" -}}
{{- $root := index . 0 }}
{{- $all := merge (deepCopy (index . 1 | default dict)) (deepCopy ($root.Values.commonAnnotations | default dict)) }}
{{- with $all }}
  annotations:
    {{- toYaml . | nindent 4 }}
{{- end }}
{{- end }}

{{- define "developer-portal.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "developer-portal.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "developer-portal.image" -}}
{{- $repo := .Values.image.repository }}
{{- with .Values.image.registry }}
{{- $repo = printf "%s/%s" . $repo }}
{{- end }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $repo .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repo (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{- define "developer-portal.testImage" -}}
{{- $img := .Values.tests.image }}
{{- if $img.registry }}
{{- printf "%s/%s:%s" $img.registry $img.repository $img.tag }}
{{- else }}
{{- printf "%s:%s" $img.repository $img.tag }}
{{- end }}
{{- end }}

{{- define "developer-portal.configMapName" -}}
{{- printf "%s-app-config" (include "developer-portal.fullname" .) }}
{{- end }}

{{/* Where the chart's ConfigMap is mounted. */}}
{{- define "developer-portal.configDir" -}}
/opt/developer-portal/config
{{- end }}

{{- define "developer-portal.cnpgClusterName" -}}
{{- .Values.postgresql.cnpg.clusterName | default (printf "%s-db" (include "developer-portal.fullname" .) | trunc 50 | trimSuffix "-") }}
{{- end }}

{{/* The Secret CloudNativePG generates for the owner of the application database. */}}
{{- define "developer-portal.cnpgAppSecret" -}}
{{- printf "%s-app" (include "developer-portal.cnpgClusterName" .) }}
{{- end }}

{{- define "developer-portal.tokenSecretName" -}}
{{- printf "%s-sa-token" (include "developer-portal.fullname" .) }}
{{- end }}

{{/* https://<host> of the Route or Ingress, when a host is set. */}}
{{- define "developer-portal.publicUrl" -}}
{{- if and .Values.route.enabled .Values.route.host }}
{{- printf "%s://%s%s" (ternary "https" "http" .Values.route.tls.enabled) .Values.route.host (.Values.route.path | trimSuffix "/") }}
{{- else if and .Values.ingress.enabled .Values.ingress.host }}
{{- printf "%s://%s%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.host (.Values.ingress.path | trimSuffix "/") }}
{{- end }}
{{- end }}

{{/*
The app-config the chart owns, merged under backstage.appConfig (which wins):
where TechDocs publishes, the mounted permission policy, and how a
CloudNativePG database is divided between plugins.
*/}}
{{- define "developer-portal.appConfig" -}}
{{- $chart := dict }}
{{- with .Values.backstage.writableDirs.techdocs }}
{{- $_ := set $chart "techdocs" (dict "publisher" (dict "type" "local" "local" (dict "publishDirectory" .mountPath))) }}
{{- end }}
{{- if .Values.backstage.permissionPolicy }}
{{- $_ := set $chart "permission" (dict "portalPolicy" (dict "policyFile" (printf "%s/permission-policy.yaml" (include "developer-portal.configDir" .)))) }}
{{- end }}
{{- if eq .Values.postgresql.mode "cnpg" }}
{{- /* The application owner may not create databases: one database, one schema per plugin. */}}
{{- $db := dict "pluginDivisionMode" "schema" "ensureExists" false "ensureSchemaExists" true "connection" (dict "database" .Values.postgresql.cnpg.database) }}
{{- $_ := set $chart "backend" (dict "database" $db) }}
{{- end }}
{{- if include "developer-portal.backendTLS" . }}
{{- $chart = mustMergeOverwrite $chart (include "developer-portal.httpsAppConfig" . | fromYaml) }}
{{- end }}
{{- toYaml (mustMergeOverwrite $chart (deepCopy .Values.backstage.appConfig)) }}
{{- end }}

{{/*
Environment variables the chart derives, as a dict NAME -> EnvVar source:
the database connection, the public URLs, the templates location, the
ServiceAccount token, the metrics port, and with backend HTTPS the CA bundle.
*/}}
{{- define "developer-portal.derivedEnv" -}}
{{- $env := dict }}
{{- $pg := .Values.postgresql }}
{{- if eq $pg.mode "cnpg" }}
{{- $secret := include "developer-portal.cnpgAppSecret" . }}
{{- range $name, $key := dict "POSTGRES_HOST" "host" "POSTGRES_PORT" "port" "POSTGRES_USER" "username" "POSTGRES_PASSWORD" "password" }}
{{- $_ := set $env $name (dict "valueFrom" (dict "secretKeyRef" (dict "name" $secret "key" $key))) }}
{{- end }}
{{- else }}
{{- with $pg.external.host }}
{{- $_ := set $env "POSTGRES_HOST" (dict "value" .) }}
{{- end }}
{{- $_ := set $env "POSTGRES_PORT" (dict "value" (toString $pg.external.port)) }}
{{- if and $pg.external.userKey $pg.external.existingSecret }}
{{- $_ := set $env "POSTGRES_USER" (dict "valueFrom" (dict "secretKeyRef" (dict "name" $pg.external.existingSecret "key" $pg.external.userKey))) }}
{{- else if $pg.external.user }}
{{- $_ := set $env "POSTGRES_USER" (dict "value" $pg.external.user) }}
{{- end }}
{{- with $pg.external.existingSecret }}
{{- $_ := set $env "POSTGRES_PASSWORD" (dict "valueFrom" (dict "secretKeyRef" (dict "name" . "key" $pg.external.passwordKey))) }}
{{- end }}
{{- end }}
{{- with include "developer-portal.publicUrl" . }}
{{- $_ := set $env "APP_BASE_URL" (dict "value" .) }}
{{- $_ := set $env "BACKEND_BASE_URL" (dict "value" .) }}
{{- end }}
{{- with .Values.backstage.templatesLocationUrl }}
{{- $_ := set $env "TEMPLATES_LOCATION_URL" (dict "value" .) }}
{{- end }}
{{- if and .Values.serviceAccount.create .Values.rbac.tokenSecret.create }}
{{- $_ := set $env "K8S_SA_TOKEN" (dict "valueFrom" (dict "secretKeyRef" (dict "name" (include "developer-portal.tokenSecretName" .) "key" "token"))) }}
{{- end }}
{{- if .Values.metrics.enabled }}
{{- $_ := set $env "OTEL_EXPORTER_PROMETHEUS_PORT" (dict "value" (toString .Values.metrics.port)) }}
{{- end }}
{{- if include "developer-portal.backendTLS" . }}
{{- $_ := set $env "NODE_EXTRA_CA_CERTS" (dict "value" (include "developer-portal.caBundle" .)) }}
{{- end }}
{{- toYaml $env }}
{{- end }}

{{/*
The container's env list: derived variables first, then backstage.env, then
backstage.secretEnv, each sorted by name, then backstage.extraEnv as written.
A variable set in backstage.env, backstage.secretEnv or backstage.extraEnv
replaces the derived one of the same name, except NODE_EXTRA_CA_CERTS with
backend HTTPS: the chart folds backstage.env's file into its CA bundle.
*/}}
{{- define "developer-portal.env" -}}
{{- $derived := include "developer-portal.derivedEnv" . | fromYaml }}
{{- $plain := .Values.backstage.env | default dict }}
{{- if include "developer-portal.backendTLS" . }}
{{- $plain = omit $plain "NODE_EXTRA_CA_CERTS" }}
{{- end }}
{{- $secret := .Values.backstage.secretEnv | default dict }}
{{- $extra := dict }}
{{- range .Values.backstage.extraEnv }}
{{- $_ := set $extra .name . }}
{{- end }}
{{- range $name := keys $plain | sortAlpha }}
{{- if hasKey $secret $name }}
{{- fail (printf "backstage.env and backstage.secretEnv both set %s; set it in one of them" $name) }}
{{- end }}
{{- end }}
{{- range $name := keys $derived | sortAlpha }}
{{- if not (or (hasKey $plain $name) (hasKey $secret $name) (hasKey $extra $name)) }}
- name: {{ $name }}
  {{- toYaml (get $derived $name) | nindent 2 }}
{{- end }}
{{- end }}
{{- range $name := keys $plain | sortAlpha }}
{{- $value := get $plain $name }}
{{- if not (kindIs "invalid" $value) }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}
{{- range $name := keys $secret | sortAlpha }}
{{- $ref := get $secret $name }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.existingSecret }}
      key: {{ $ref.key }}
      {{- if $ref.optional }}
      optional: true
      {{- end }}
{{- end }}
{{- with .Values.backstage.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Checks across values that the schema cannot express. Rendered by the Deployment. */}}
{{- define "developer-portal.validate" -}}
{{- include "developer-portal.validateHttps" . }}
{{- include "developer-portal.validateExtensions" . }}
{{- include "developer-portal.validateMonitoring" . }}
{{- if and .Values.route.enabled .Values.ingress.enabled }}
{{- fail "route.enabled and ingress.enabled are mutually exclusive: an OpenShift Route or a Kubernetes Ingress, not both" }}
{{- end }}
{{- if and .Values.ingress.enabled (not .Values.ingress.host) }}
{{- fail "ingress.host is required when ingress.enabled is true" }}
{{- end }}
{{- if .Values.autoscaling.enabled }}
{{- if gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas) }}
{{- fail (printf "autoscaling.minReplicas (%d) must not exceed autoscaling.maxReplicas (%d)" (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) }}
{{- end }}
{{- if not (or .Values.autoscaling.targetCPUUtilizationPercentage .Values.autoscaling.targetMemoryUtilizationPercentage) }}
{{- fail "autoscaling.enabled needs autoscaling.targetCPUUtilizationPercentage or autoscaling.targetMemoryUtilizationPercentage" }}
{{- end }}
{{- end }}
{{- $pdb := .Values.podDisruptionBudget }}
{{- if and $pdb.enabled (not (kindIs "string" $pdb.minAvailable)) (eq (toString $pdb.maxUnavailable) "") }}
{{- $replicas := ternary .Values.autoscaling.minReplicas .Values.replicaCount .Values.autoscaling.enabled | int }}
{{- if ge (int $pdb.minAvailable) $replicas }}
{{- fail (printf "podDisruptionBudget.minAvailable (%d) must be lower than the number of replicas (%d), or no node could ever be drained" (int $pdb.minAvailable) $replicas) }}
{{- end }}
{{- end }}
{{- if and $pdb.enabled (ne (toString $pdb.maxUnavailable) "") (eq (trimSuffix "%" (toString $pdb.maxUnavailable)) "0") }}
{{- fail "podDisruptionBudget.maxUnavailable 0 lets no pod be evicted, so no node could ever be drained" }}
{{- end }}
{{- if and $pdb.enabled (eq (toString $pdb.maxUnavailable) "") (eq (toString $pdb.minAvailable) "100%") }}
{{- fail "podDisruptionBudget.minAvailable 100% lets no pod be evicted, so no node could ever be drained" }}
{{- end }}
{{- $rolling := .Values.updateStrategy.rollingUpdate }}
{{- if and (eq .Values.updateStrategy.type "RollingUpdate") (eq (trimSuffix "%" (toString $rolling.maxSurge)) "0") (eq (trimSuffix "%" (toString $rolling.maxUnavailable)) "0") }}
{{- fail "updateStrategy.rollingUpdate.maxSurge and maxUnavailable are both 0: a rollout could never replace a pod" }}
{{- end }}
{{- if eq .Values.postgresql.mode "external" }}
{{- if and .Values.postgresql.external.userKey (not .Values.postgresql.external.existingSecret) }}
{{- fail "postgresql.external.userKey needs postgresql.external.existingSecret" }}
{{- end }}
{{- end }}
{{- if and .Values.postgresql.cnpg.backup.enabled (eq .Values.postgresql.mode "cnpg") }}
{{- $b := .Values.postgresql.cnpg.backup }}
{{- if and (eq $b.method "plugin") (not $b.plugin.barmanObjectName) }}
{{- fail "postgresql.cnpg.backup.plugin.barmanObjectName is required for backup.method plugin" }}
{{- end }}
{{- if and (eq $b.method "barmanObjectStore") (not $b.barmanObjectStore) }}
{{- fail "postgresql.cnpg.backup.barmanObjectStore is required for backup.method barmanObjectStore" }}
{{- end }}
{{- end }}
{{- end }}
