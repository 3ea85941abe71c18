{{/*
HTTPS served by the backend itself, for Route termination reencrypt and
passthrough: where its certificate comes from, how the backend is configured
to serve it, and how the backend comes to trust it for its own internal calls.
*/}}

{{/* "true" when the backend serves HTTPS, empty otherwise. */}}
{{- define "developer-portal.backendTLS" -}}
{{- $tls := .Values.route.tls }}
{{- if and .Values.route.enabled $tls.enabled (has $tls.termination (list "reencrypt" "passthrough")) }}true{{- end }}
{{- end }}

{{/* The kubernetes.io/tls Secret with the backend's certificate. */}}
{{- define "developer-portal.tlsSecretName" -}}
{{- if eq .Values.backstage.https.certificateSource "serviceServing" }}
{{- printf "%s-tls" (include "developer-portal.fullname" .) }}
{{- else }}
{{- .Values.backstage.https.existingSecret }}
{{- end }}
{{- end }}

{{/* The host name in the certificate: the Service's cluster DNS name. */}}
{{- define "developer-portal.serviceHost" -}}
{{- printf "%s.%s.svc" (include "developer-portal.fullname" .) .Release.Namespace }}
{{- end }}

{{/* Where the certificate and key are mounted. */}}
{{- define "developer-portal.tlsDir" -}}
/opt/developer-portal/tls
{{- end }}

{{/* Where the CA that signed the certificate is mounted (its own volume: the key stays out of it). */}}
{{- define "developer-portal.backendCADir" -}}
/opt/developer-portal/backend-ca
{{- end }}

{{/* The bundle NODE_EXTRA_CA_CERTS points at: the backend's CA plus the file backstage.env names. */}}
{{- define "developer-portal.caBundle" -}}
/opt/developer-portal/ca-bundle/ca-bundle.crt
{{- end }}

{{/*
The app-config for HTTPS: the certificate files for backend.https, and the
internal address of every plugin at the Service's name, which the
certificate holds (the default, localhost, is not in it).
*/}}
{{- define "developer-portal.httpsAppConfig" -}}
{{- $dir := include "developer-portal.tlsDir" . }}
{{- $certificate := dict "cert" (dict "$file" (printf "%s/tls.crt" $dir)) "key" (dict "$file" (printf "%s/tls.key" $dir)) }}
{{- $internal := printf "https://%s:%v/api/{{pluginId}}" (include "developer-portal.serviceHost" .) .Values.service.port }}
backend:
  https:
    certificate:
      {{- toYaml $certificate | nindent 6 }}
discovery:
  endpoints:
    - target:
        internal: {{ $internal | quote }}
      plugins: ['*']
{{- end }}

{{/* The volume with the CA of the backend's certificate: OpenShift's service CA, or the Secret's CA key alone. */}}
{{- define "developer-portal.backendCAVolume" -}}
- name: backend-ca
{{- if eq .Values.backstage.https.certificateSource "serviceServing" }}
  configMap:
    # OpenShift puts the service CA into this ConfigMap in every namespace.
    name: openshift-service-ca.crt
    items:
      - key: service-ca.crt
        path: ca.crt
{{- else }}
  secret:
    secretName: {{ .Values.backstage.https.existingSecret }}
    items:
      - key: {{ .Values.backstage.https.caKey }}
        path: ca.crt
{{- end }}
{{- end }}

{{/*
The init container that writes the CA bundle: NODE_EXTRA_CA_CERTS names one
file only, and the backend needs the cluster's CA (backstage.env) as well as
its own certificate's.
*/}}
{{- define "developer-portal.caBundleInitContainer" -}}
{{- $bs := .Values.backstage }}
{{- $files := list }}
{{- with get ($bs.env | default dict) "NODE_EXTRA_CA_CERTS" }}
{{- $files = append $files (toString .) }}
{{- end }}
{{- $files = append $files (printf "%s/ca.crt" (include "developer-portal.backendCADir" .)) }}
- name: ca-bundle
  image: {{ include "developer-portal.image" . | quote }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  command:
    - sh
    - -c
    - 'cat "$@" > {{ include "developer-portal.caBundle" . }}'
    - ca-bundle
    {{- range $files }}
    - {{ . | quote }}
    {{- end }}
  resources:
    requests:
      cpu: 10m
      memory: 16Mi
    limits:
      cpu: 100m
      memory: 64Mi
  securityContext:
    {{- toYaml $bs.containerSecurityContext | nindent 4 }}
  volumeMounts:
    - name: backend-ca
      mountPath: {{ include "developer-portal.backendCADir" . }}
      readOnly: true
    - name: ca-bundle
      mountPath: {{ include "developer-portal.caBundle" . | dir }}
{{- end }}

{{/* Values of the Route and the backend's HTTPS that only make sense together. */}}
{{- define "developer-portal.validateHttps" -}}
{{- $tls := .Values.route.tls }}
{{- $https := .Values.backstage.https }}
{{- if and .Values.route.enabled $tls.enabled }}
{{- if and (eq $tls.termination "passthrough") .Values.route.path }}
{{- fail "route.path must be empty with route.tls.termination passthrough: the router cannot see the path of an encrypted request" }}
{{- end }}
{{- if and (eq $tls.termination "passthrough") (eq $tls.insecureEdgeTerminationPolicy "Allow") }}
{{- fail "route.tls.insecureEdgeTerminationPolicy Allow is not possible with passthrough: the router cannot serve plain HTTP for the pods; use Redirect or None" }}
{{- end }}
{{- if and (eq $tls.termination "passthrough") $tls.externalCertificateSecret }}
{{- fail "route.tls.externalCertificateSecret does not apply to route.tls.termination passthrough: the pods present backstage.https's certificate" }}
{{- end }}
{{- end }}
{{- if not (include "developer-portal.backendTLS" .) }}
{{- if or $https.existingSecret $tls.destinationCACertificate }}
{{- fail "backstage.https.existingSecret and route.tls.destinationCACertificate apply to a Route with route.tls.termination reencrypt or passthrough only" }}
{{- end }}
{{- else }}
{{- if and (eq $https.certificateSource "secret") (not $https.existingSecret) }}
{{- fail "backstage.https.existingSecret is required for backstage.https.certificateSource secret" }}
{{- end }}
{{- if eq $tls.termination "reencrypt" }}
{{- if and (eq $https.certificateSource "secret") (not $tls.destinationCACertificate) }}
{{- fail "route.tls.destinationCACertificate (the PEM of the CA in backstage.https.existingSecret) is required for reencrypt with backstage.https.certificateSource secret" }}
{{- end }}
{{- if and (eq $https.certificateSource "serviceServing") $tls.destinationCACertificate }}
{{- fail "route.tls.destinationCACertificate must be empty with backstage.https.certificateSource serviceServing: the router trusts OpenShift's service CA itself" }}
{{- end }}
{{- end }}
{{- $elsewhere := keys ($.Values.backstage.secretEnv | default dict) }}
{{- range $.Values.backstage.extraEnv }}
{{- $elsewhere = append $elsewhere .name }}
{{- end }}
{{- if has "NODE_EXTRA_CA_CERTS" $elsewhere }}
{{- fail "with backstage.https, set NODE_EXTRA_CA_CERTS in backstage.env only (a file path): the chart folds that file and the backend's CA into one bundle" }}
{{- end }}
{{- end }}
{{- end }}
