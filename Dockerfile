# syntax=docker/dockerfile:1
# Sluice controllers: Node 24 running the TypeScript sources directly (type stripping), with git,
# kustomize and helm. Build: docker build -t ghcr.io/sluice-gitops/sluice:0.1.0 .
ARG NODE_VERSION=24
ARG GO_VERSION=1.26

# kustomize and helm, built from their Go modules at pinned versions (the same ones `sluice dev`
# uses), static (CGO off) so that they run on any base image.
FROM golang:${GO_VERSION}-bookworm AS tools
ARG KUSTOMIZE_VERSION=v5.8.2
ARG HELM_VERSION=v4.3.1
ENV CGO_ENABLED=0 GOTOOLCHAIN=local
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    go install -trimpath -ldflags="-s -w" \
      sigs.k8s.io/kustomize/kustomize/v5@${KUSTOMIZE_VERSION} \
 && go install -trimpath -ldflags="-s -w -X helm.sh/helm/v4/internal/version.version=${HELM_VERSION}" \
      helm.sh/helm/v4/cmd/helm@${HELM_VERSION} \
 && /go/bin/kustomize version && /go/bin/helm version --short

# Production dependencies only: the devDependencies (typescript, the node binary package) are not
# needed to run, as Node 24 strips the types itself.
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:${NODE_VERSION}-bookworm-slim
# git (+ ssh, gpg) for GitRepository; tini as PID 1 reaps the git, kustomize and helm children
# and passes SIGTERM on, so that the manager can finish in-flight reconciles.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates git openssh-client gnupg tini \
 && rm -rf /var/lib/apt/lists/*
COPY --from=tools /go/bin/kustomize /go/bin/helm /usr/local/bin/
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
# The install manifests, for `sluice install` run from the image.
COPY config ./config
# The node image's "node" user would do too; 65534 matches the Deployment's runAsUser.
USER 65534:65534
ENV NODE_ENV=production HOME=/tmp
EXPOSE 8080 9090 9440
ENTRYPOINT ["/usr/bin/tini", "--", "/app/bin/sluice"]
CMD ["controllers"]
