{{/* Chart name, for the app.kubernetes.io/name label. */}}
{{- define "karpenter-ts.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Name of every resource of the release: the release name unless overridden, so a release called
`karpenter` has the object names (and Prometheus job label) of an upstream Karpenter release.
*/}}
{{- define "karpenter-ts.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "karpenter-ts.selectorLabels" -}}
app.kubernetes.io/name: {{ include "karpenter-ts.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "karpenter-ts.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "karpenter-ts.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.additionalLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* metadata.labels and, when set, metadata.annotations of every resource. */}}
{{- define "karpenter-ts.metadata" -}}
labels:
  {{- include "karpenter-ts.labels" . | nindent 2 }}
{{- with .Values.additionalAnnotations }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{- define "karpenter-ts.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "karpenter-ts.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false: name the existing ServiceAccount the controller runs as" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The leader-election Lease; `karpenter-leader-election` for a release called karpenter, as upstream. */}}
{{- define "karpenter-ts.leaseName" -}}
{{- printf "%s-leader-election" (include "karpenter-ts.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "karpenter-ts.image" -}}
{{- if .Values.controller.image.digest }}
{{- printf "%s@%s" .Values.controller.image.repository .Values.controller.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.controller.image.repository (default .Chart.AppVersion .Values.controller.image.tag) }}
{{- end }}
{{- end }}

{{/* FEATURE_GATES value: featureGates.spotToSpotConsolidation=true → SpotToSpotConsolidation=true. */}}
{{- define "karpenter-ts.featureGates" -}}
{{- $gates := list }}
{{- range $name, $enabled := .Values.settings.featureGates }}
{{- $gates = append $gates (printf "%s%s=%t" (substr 0 1 $name | upper) (substr 1 -1 $name) $enabled) }}
{{- end }}
{{- join "," $gates }}
{{- end }}
