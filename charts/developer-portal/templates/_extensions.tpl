{{/*
Extension points of the portal pods: more containers, ports, environment and
app-config files, given as Kubernetes objects in the values.
*/}}

{{/*
A list of containers from the values, each without a securityContext given
backstage.containerSecurityContext, so it runs restricted like the portal.
*/}}
{{- define "developer-portal.extraContainers" -}}
{{- $root := index . 0 }}
{{- range index . 1 }}
{{- $c := deepCopy . }}
{{- if not $c.securityContext }}
{{- $_ := set $c "securityContext" $root.Values.backstage.containerSecurityContext }}
{{- end }}
- {{ toYaml $c | nindent 2 | trim }}
{{- end }}
{{- end }}

{{/* Where the app-config ConfigMaps are mounted: one folder each, by position. */}}
{{- define "developer-portal.appConfigMapsDir" -}}
/opt/developer-portal/config-maps
{{- end }}

{{/*
What rolls the pods when an app-config ConfigMap changes: its name, key and
the user's checksum, and its data where Helm can read it (lookup answers
helm install/upgrade against a cluster, and nothing to helm template).
*/}}
{{- define "developer-portal.appConfigMapsChecksum" -}}
{{- $seen := list }}
{{- range .Values.backstage.appConfigFromConfigMaps }}
{{- $found := lookup "v1" "ConfigMap" $.Release.Namespace .name }}
{{- $seen = append $seen (dict "name" .name "key" .key "checksum" (.checksum | default "") "data" (dig "data" .key "" $found)) }}
{{- end }}
{{- toJson $seen | sha256sum }}
{{- end }}

{{/* Checks of the extension points that the schema cannot express. */}}
{{- define "developer-portal.validateExtensions" -}}
{{- $bs := .Values.backstage }}
{{- $names := list "backstage" }}
{{- if include "developer-portal.backendTLS" . }}
{{- $names = append $names "ca-bundle" }}
{{- end }}
{{- range concat $bs.initContainers $bs.extraContainers }}
{{- if has .name $names }}
{{- fail (printf "backstage.initContainers/extraContainers: the container name %s is taken" .name) }}
{{- end }}
{{- $names = append $names .name }}
{{- end }}
{{- $ports := list "http" }}
{{- if .Values.metrics.enabled }}
{{- $ports = append $ports "metrics" }}
{{- if eq (int .Values.metrics.port) (int $bs.containerPort) }}
{{- fail (printf "metrics.port (%d) must differ from backstage.containerPort" (int .Values.metrics.port)) }}
{{- end }}
{{- end }}
{{- range $bs.extraContainerPorts }}
{{- if and .name (has .name $ports) }}
{{- fail (printf "backstage.extraContainerPorts: the port name %s is taken" .name) }}
{{- end }}
{{- $ports = append $ports (.name | default "") }}
{{- end }}
{{- $listed := concat (keys ($bs.env | default dict)) (keys ($bs.secretEnv | default dict)) }}
{{- $extra := list }}
{{- range $bs.extraEnv }}
{{- if or (has .name $listed) (has .name $extra) }}
{{- fail (printf "backstage.extraEnv sets %s, which backstage.env, backstage.secretEnv or another extraEnv entry sets too; set it once" .name) }}
{{- end }}
{{- $extra = append $extra .name }}
{{- end }}
{{- end }}
