apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels: {{- include "service.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels: {{- include "service.labels" . | nindent 6 }}
  template:
    metadata:
      labels: {{- include "service.labels" . | nindent 8 }}
      annotations:
        prometheus.io/scrape: 'true'
        prometheus.io/port: '{{ .Values.metricsPort }}'
        prometheus.io/path: /metrics
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: '{{ .Values.image.repository }}:{{ .Values.image.tag }}'
          ports:
            - { name: http, containerPort: {{ .Values.port }} }
            - { name: metrics, containerPort: {{ .Values.metricsPort }} }
          env:
            - { name: PORT, value: '{{ .Values.port }}' }
            - { name: METRICS_PORT, value: '{{ .Values.metricsPort }}' }
            {{- with .Values.otlpEndpoint }}
            - { name: OTEL_EXPORTER_OTLP_ENDPOINT, value: '{{ . }}' }
            {{- end }}
          readinessProbe:
            httpGet: { path: '/?query=%7Bhealth%7Bstatus%7D%7D', port: http, httpHeaders: [{ name: apollo-require-preflight, value: 'true' }] }
          resources: {{- toYaml .Values.resources | nindent 12 }}
