apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
  labels: {{- include "service.labels" . | nindent 4 }}
spec:
  selector: {{- include "service.labels" . | nindent 4 }}
  ports:
    - { name: http, port: 80, targetPort: http }
    - { name: metrics, port: {{ .Values.metricsPort }}, targetPort: metrics }
