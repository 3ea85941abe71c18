# syntax=docker/dockerfile:1
# The portal image: the backend bundle, which also serves the built frontend.
# Build from the repository root: docker build -t developer-portal .
#
# Every build step is in scripts/build-bundle.sh, which the bundle integration
# test (e2e/integration/bundle.spec.ts) runs the same way, so what the test
# starts is what this image runs.
ARG NODE_IMAGE=node:22-bookworm-slim

# Stage 1: install with the committed lockfile, type check, build the bundle
# (backend plus frontend) and stage what the runtime needs in /stage.
FROM ${NODE_IMAGE} AS build
RUN apt-get update && \
    apt-get install -y --no-install-recommends python3 g++ make && \
    rm -rf /var/lib/apt/lists/*
# Native modules build against the image's own Node headers instead of
# downloading them.
ENV npm_config_nodedir=/usr/local
WORKDIR /app
COPY . .
RUN bash scripts/build-bundle.sh build /stage

# Stage 2: production dependencies only, with the bundle and the runtime files
# unpacked over them (RUNTIME_FILES in the script). The golden-path templates
# are not among them: the catalog reads them from Git (TEMPLATES_LOCATION_URL),
# so a template change needs no new image. Native modules need compilers
# here, not in the runtime image.
FROM ${NODE_IMAGE} AS deps
RUN apt-get update && \
    apt-get install -y --no-install-recommends python3 g++ make && \
    rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
COPY --from=build /stage /stage
# OpenShift runs the image with an arbitrary uid in group 0, hence chgrp and
# chmod; done here rather than in the last stage, where they would copy every
# file into a second layer.
RUN bash /stage/build-bundle.sh runtime /stage /app && \
    chgrp -R 0 /app && chmod -R g=u /app

# Stage 3: runtime. mkdocs builds TechDocs in-process (no Docker in pods).
FROM ${NODE_IMAGE}
RUN apt-get update && \
    apt-get install -y --no-install-recommends mkdocs mkdocs-material && \
    rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app ./
# The root filesystem may be read-only: the backend writes only to /tmp
# (TechDocs sources and mkdocs builds, scaffolder workspaces, $HOME for
# mkdocs and git) and to the TechDocs publish directory, both emptyDir
# volumes in the Helm chart. The publisher's default directory is inside
# node_modules, hence the override (the chart's default mount path; its own
# app-config sets the same value). Environment config wins over files, so a
# chart with another mount path must set this variable too.
# Prometheus metrics (docs/metrics.md) are served on their own port, 9464,
# on every interface of the pod, never on 7007; the standard OTEL_* variables
# configure them and turn on OTLP trace export.
ENV NODE_ENV=production \
    HOME=/tmp \
    APP_CONFIG_techdocs_publisher_local_publishDirectory=/var/lib/developer-portal/techdocs \
    OTEL_EXPORTER_PROMETHEUS_HOST=0.0.0.0 \
    OTEL_EXPORTER_PROMETHEUS_PORT=9464
RUN mkdir -p /var/lib/developer-portal/techdocs && \
    chgrp -R 0 /var/lib/developer-portal && chmod -R g=u /var/lib/developer-portal
USER 1001
EXPOSE 7007 9464
# The instrumentation file loads the OpenTelemetry SDK before the backend.
CMD ["node", "--require", "./instrumentation.js", "packages/backend", "--config", "app-config.yaml", "--config", "app-config.production.yaml"]
