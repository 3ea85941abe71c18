# syntax=docker/dockerfile:1
# The portal image: the backend bundle, which also serves the built frontend.
# Build from the repository root: docker build -t developer-portal .
ARG NODE_IMAGE=node:22-bookworm-slim

# Stage 1: install with the committed lockfile, type check, build the bundle.
FROM ${NODE_IMAGE} AS build
RUN apt-get update && \
    apt-get install -y --no-install-recommends python3 g++ make && \
    rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN node .yarn/releases/yarn-4.13.0.cjs install --immutable && \
    node .yarn/releases/yarn-4.13.0.cjs tsc && \
    node .yarn/releases/yarn-4.13.0.cjs build:backend

# Stage 2: production dependencies only (native modules need compilers here,
# not in the runtime image).
FROM ${NODE_IMAGE} AS deps
RUN apt-get update && \
    apt-get install -y --no-install-recommends python3 g++ make && \
    rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY .yarn/releases ./.yarn/releases
COPY .yarnrc.yml backstage.json package.json yarn.lock ./
COPY --from=build /app/packages/backend/dist/skeleton.tar.gz ./
RUN tar xzf skeleton.tar.gz && rm skeleton.tar.gz && \
    node .yarn/releases/yarn-4.13.0.cjs workspaces focus --all --production && \
    rm -rf .yarn/cache

# Stage 3: runtime. mkdocs builds TechDocs in-process (no Docker in pods).
FROM ${NODE_IMAGE}
RUN apt-get update && \
    apt-get install -y --no-install-recommends mkdocs mkdocs-material && \
    rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app ./
COPY --from=build /app/packages/backend/dist/bundle.tar.gz ./
RUN tar xzf bundle.tar.gz && rm bundle.tar.gz
COPY app-config.yaml app-config.production.yaml catalog-info.yaml mkdocs.yml ./
COPY docs ./docs
# OpenShift runs the image with an arbitrary uid in group 0.
RUN chgrp -R 0 /app && chmod -R g=u /app
USER 1001
ENV NODE_ENV=production
EXPOSE 7007
CMD ["node", "packages/backend", "--config", "app-config.yaml", "--config", "app-config.production.yaml"]
